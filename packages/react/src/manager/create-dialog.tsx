/**
 * "Create API key": a name, the scopes the API offers (with their descriptions), and "never
 * expires" or a date. The API's field errors are shown beside their fields.
 */
import { type FormEvent, type RefObject, useId, useState } from "react";
import { ApiKeysError } from "../problem.js";
import type { CreateApiKeyInput, ScopeOption } from "../types.js";
import type { UseScopeOptions } from "../use-scope-options.js";
import type { ClassFor } from "./class-names.js";
import { Dialog } from "./dialog.js";
import { endOfDay, tomorrow } from "./format.js";

export interface CreateDialogProps {
  catalogue: UseScopeOptions;
  /** Creates the key; rejects with an ApiKeysError the dialog shows. */
  onCreate(input: CreateApiKeyInput): Promise<void>;
  onClose(): void;
  cx: ClassFor;
  returnFocus: RefObject<HTMLElement | null>;
  now: number;
}

function FieldErrors({
  id,
  messages,
  cx,
}: {
  id: string;
  messages: readonly string[] | undefined;
  cx: ClassFor;
}) {
  if (!messages || messages.length === 0) return null;
  return (
    <p id={id} className={cx("fieldError")}>
      {messages.join("; ")}
    </p>
  );
}

function scopeLabel(option: ScopeOption): string {
  return option.preset ? `${option.name} (${option.scopes.join(", ")})` : option.name;
}

export function CreateDialog({ catalogue, onCreate, onClose, cx, returnFocus, now }: CreateDialogProps) {
  const id = useId();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState<"never" | "date">("never");
  const [date, setDate] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiKeysError | null>(null);
  const errors = failure?.fieldErrors ?? {};
  const expiresErrors = [...(errors["expiresAt"] ?? []), ...(errors["expiresIn"] ?? [])];

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (expiry === "date" && date === "") {
      setFailure(
        new ApiKeysError(400, {
          detail: "Choose an expiration date, or “Never expires”.",
          errors: [{ path: "/expiresAt", message: "Choose a date" }],
        }),
      );
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await onCreate({
        name: name.trim() === "" ? null : name.trim(),
        scopes,
        expiresAt: expiry === "never" ? null : endOfDay(date),
      });
    } catch (error) {
      setFailure(error instanceof ApiKeysError ? error : new ApiKeysError(0, { detail: String(error) }));
      setBusy(false);
    }
  }

  const toggle = (scope: string, on: boolean) =>
    setScopes((list) => (on ? [...list, scope] : list.filter((item) => item !== scope)));

  return (
    <Dialog title="Create API key" onClose={onClose} cx={cx} returnFocus={returnFocus}>
      <form onSubmit={submit} noValidate>
        {failure && (
          <div role="alert" className={cx("alert")}>
            {failure.detail}
          </div>
        )}
        <div className={cx("field")}>
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={200}
            data-autofocus
            aria-invalid={errors["name"] ? true : undefined}
            aria-describedby={errors["name"] ? `${id}-name-error` : undefined}
          />
          <FieldErrors id={`${id}-name-error`} messages={errors["name"]} cx={cx} />
        </div>
        <fieldset
          className={cx("field")}
          aria-invalid={errors["scopes"] ? true : undefined}
          aria-describedby={errors["scopes"] ? `${id}-scopes-error` : undefined}
        >
          <legend>Scopes</legend>
          {catalogue.loading && <p role="status">Loading scopes…</p>}
          {catalogue.error && (
            <p className={cx("fieldError")}>Could not load the scopes: {catalogue.error.detail}</p>
          )}
          {!catalogue.loading && !catalogue.error && catalogue.scopes.length === 0 && (
            <p>No scopes to choose from.</p>
          )}
          {catalogue.scopes.map((option, index) => (
            <div key={option.name} className="keyward-choice">
              <input
                type="checkbox"
                id={`${id}-scope-${index}`}
                checked={scopes.includes(option.name)}
                onChange={(event) => toggle(option.name, event.target.checked)}
                aria-describedby={option.description ? `${id}-scope-${index}-description` : undefined}
              />
              <label htmlFor={`${id}-scope-${index}`}>{scopeLabel(option)}</label>
              {option.description && (
                <span id={`${id}-scope-${index}-description`} className="keyward-description">
                  {option.description}
                </span>
              )}
            </div>
          ))}
          <FieldErrors id={`${id}-scopes-error`} messages={errors["scopes"]} cx={cx} />
        </fieldset>
        <fieldset
          className={cx("field")}
          aria-invalid={expiresErrors.length > 0 ? true : undefined}
          aria-describedby={expiresErrors.length > 0 ? `${id}-expiry-error` : undefined}
        >
          <legend>Expiration</legend>
          <div className="keyward-choice">
            <input
              type="radio"
              id={`${id}-never`}
              name={`${id}-expiry`}
              checked={expiry === "never"}
              onChange={() => setExpiry("never")}
            />
            <label htmlFor={`${id}-never`}>Never expires</label>
          </div>
          <div className="keyward-choice">
            <input
              type="radio"
              id={`${id}-on-date`}
              name={`${id}-expiry`}
              checked={expiry === "date"}
              onChange={() => setExpiry("date")}
            />
            <label htmlFor={`${id}-on-date`}>Expires on a date</label>
          </div>
          {expiry === "date" && (
            <div className={cx("field")}>
              <label htmlFor={`${id}-date`}>Expiration date</label>
              <input
                id={`${id}-date`}
                type="date"
                min={tomorrow(now)}
                value={date}
                onChange={(event) => setDate(event.target.value)}
              />
            </div>
          )}
          <FieldErrors id={`${id}-expiry-error`} messages={expiresErrors} cx={cx} />
        </fieldset>
        <FieldErrors id={`${id}-body-error`} messages={errors[""]} cx={cx} />
        <div className="keyward-actions">
          <button type="button" className={cx("button")} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={cx("primaryButton")} disabled={busy}>
            {busy ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
