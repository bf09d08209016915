/** The masked list: one row per key, its state, and the actions it allows. */
import type { ApiKeyRecord } from "../types.js";
import type { ClassFor } from "./class-names.js";
import { formatDate, preview, STATUS_LABEL, statusOf } from "./format.js";

/** What a row's buttons ask for; `trigger` is the button, to return focus to. */
export type RowAction = "rotate" | "revoke" | "delete" | "enable" | "disable";

export interface KeyTableProps {
  keys: readonly ApiKeyRecord[];
  now: number;
  locale: string | undefined;
  cx: ClassFor;
  onAction(action: RowAction, key: ApiKeyRecord, trigger: HTMLElement): void;
}

function DateCell({ iso, locale, empty }: { iso: string | null; locale: string | undefined; empty: string }) {
  return <td>{iso === null ? empty : <time dateTime={iso}>{formatDate(iso, locale)}</time>}</td>;
}

/** The accessible name of a key in labels: its name, or its preview. */
export function labelOf(key: ApiKeyRecord): string {
  return key.name ?? preview(key);
}

export function KeyTable({ keys, now, locale, cx, onAction }: KeyTableProps) {
  return (
    <table className={cx("table")}>
      <caption className="keyward-visually-hidden">API keys</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Key</th>
          <th scope="col">Scopes</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">Expires</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="keyward-visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const status = statusOf(key, now);
          const label = labelOf(key);
          const live = status === "active" || status === "disabled";
          const act = (action: RowAction) => (event: { currentTarget: HTMLElement }) =>
            onAction(action, key, event.currentTarget);
          return (
            <tr key={key.id} className={cx("row")} data-status={status}>
              <th scope="row">{key.name ?? <em>Unnamed</em>}</th>
              <td>
                <code>{preview(key)}</code>
              </td>
              <td>{key.scopes.length === 0 ? "None" : key.scopes.join(", ")}</td>
              <DateCell iso={key.createdAt} locale={locale} empty="" />
              <DateCell iso={key.lastUsedAt} locale={locale} empty="Never" />
              <DateCell iso={key.expiresAt} locale={locale} empty="Never" />
              <td>
                <span className={cx("status", `keyward-status-${status}`)}>{STATUS_LABEL[status]}</span>
              </td>
              <td>
                <div className="keyward-row-actions">
                  {live && (
                    <button
                      type="button"
                      className={cx("button")}
                      aria-label={`${key.enabled ? "Disable" : "Enable"} ${label}`}
                      onClick={act(key.enabled ? "disable" : "enable")}
                    >
                      {key.enabled ? "Disable" : "Enable"}
                    </button>
                  )}
                  {live && (
                    <button
                      type="button"
                      className={cx("button")}
                      aria-label={`Rotate ${label}`}
                      onClick={act("rotate")}
                    >
                      Rotate
                    </button>
                  )}
                  {status !== "revoked" && (
                    <button
                      type="button"
                      className={cx("dangerButton")}
                      aria-label={`Revoke ${label}`}
                      onClick={act("revoke")}
                    >
                      Revoke
                    </button>
                  )}
                  <button
                    type="button"
                    className={cx("dangerButton")}
                    aria-label={`Delete ${label}`}
                    onClick={act("delete")}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
