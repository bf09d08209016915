/** "Rotate": a new token now, the old one working on for the grace period chosen here. */
import { type FormEvent, type RefObject, useId, useState } from "react";
import { ApiKeysError } from "../problem.js";
import type { ClassFor } from "./class-names.js";
import { Dialog } from "./dialog.js";

/** A choice of grace period: a label and the duration sent (null: the old token stops at once). */
export interface GraceOption {
  label: string;
  value: string | null;
}

export const DEFAULT_GRACE_OPTIONS: readonly GraceOption[] = [
  { label: "Stop the old token now", value: null },
  { label: "Keep the old token for 1 hour", value: "1h" },
  { label: "Keep the old token for 24 hours", value: "24h" },
  { label: "Keep the old token for 7 days", value: "7d" },
];

export interface RotateDialogProps {
  keyName: string;
  options: readonly GraceOption[];
  onRotate(gracePeriod: string | null): Promise<void>;
  onClose(): void;
  cx: ClassFor;
  returnFocus: RefObject<HTMLElement | null>;
}

export function RotateDialog({ keyName, options, onRotate, onClose, cx, returnFocus }: RotateDialogProps) {
  const id = useId();
  const [choice, setChoice] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await onRotate(options[choice]?.value ?? null);
    } catch (error) {
      setFailure(error instanceof ApiKeysError ? error.detail : String(error));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Rotate ${keyName}`} onClose={onClose} cx={cx} returnFocus={returnFocus}>
      <form onSubmit={submit}>
        <p>
          A new token is issued now. Choose how long the current token keeps working, so your systems can
          switch over.
        </p>
        {failure && (
          <div role="alert" className={cx("alert")}>
            {failure}
          </div>
        )}
        <fieldset className={cx("field")}>
          <legend>Grace period</legend>
          {options.map((option, index) => (
            <div key={option.label} className="keyward-choice">
              <input
                type="radio"
                id={`${id}-${index}`}
                name={`${id}-grace`}
                checked={choice === index}
                onChange={() => setChoice(index)}
                {...(index === 0 ? { "data-autofocus": "" } : {})}
              />
              <label htmlFor={`${id}-${index}`}>{option.label}</label>
            </div>
          ))}
        </fieldset>
        <div className="keyward-actions">
          <button type="button" className={cx("button")} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={cx("primaryButton")} disabled={busy}>
            Rotate key
          </button>
        </div>
      </form>
    </Dialog>
  );
}
