/**
 * The `className` slots of `<ApiKeyManager />`. Every element keeps its `keyward-…` class (which
 * the optional `@keyward/react/styles.css` styles through CSS custom properties) and gets the
 * host app's classes for its slot added.
 */

/** The parts of the page a host app can style. */
export type ApiKeyManagerSlot =
  | "root"
  | "header"
  | "table"
  | "row"
  | "status"
  | "button"
  | "primaryButton"
  | "dangerButton"
  | "dialog"
  | "field"
  | "fieldError"
  | "alert"
  | "token";

/** Host-app classes per slot. */
export type ApiKeyManagerClassNames = Partial<Record<ApiKeyManagerSlot, string>>;

/** `keyward-<slot>` plus the host app's classes for the slot. */
export type ClassFor = (slot: ApiKeyManagerSlot, ...extra: (string | false | undefined)[]) => string;

const BASE: Record<ApiKeyManagerSlot, string> = {
  root: "keyward-root",
  header: "keyward-header",
  table: "keyward-table",
  row: "keyward-row",
  status: "keyward-status",
  button: "keyward-button",
  primaryButton: "keyward-button keyward-button-primary",
  dangerButton: "keyward-button keyward-button-danger",
  dialog: "keyward-dialog",
  field: "keyward-field",
  fieldError: "keyward-field-error",
  alert: "keyward-alert",
  token: "keyward-token",
};

/** Builds the class-name function of one manager. */
export function classNamesFor(custom: ApiKeyManagerClassNames | undefined): ClassFor {
  return (slot, ...extra) =>
    [BASE[slot], custom?.[slot], ...extra]
      .filter((part): part is string => typeof part === "string" && part !== "")
      .join(" ");
}
