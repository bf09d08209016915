/** A confirmation before something that cannot be undone (revoke, delete). */
import { type ReactNode, type RefObject, useId, useState } from "react";
import { ApiKeysError } from "../problem.js";
import type { ClassFor } from "./class-names.js";
import { Dialog } from "./dialog.js";

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; a rejection is shown in the dialog. */
  onConfirm(): Promise<void>;
  onClose(): void;
  cx: ClassFor;
  returnFocus: RefObject<HTMLElement | null>;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  cx,
  returnFocus,
}: ConfirmDialogProps) {
  const messageId = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
    } catch (error) {
      setFailure(error instanceof ApiKeysError ? error.detail : String(error));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={title}
      onClose={onClose}
      cx={cx}
      returnFocus={returnFocus}
      role="alertdialog"
      describedBy={messageId}
    >
      <div id={messageId}>{children}</div>
      {failure && (
        <div role="alert" className={cx("alert")}>
          {failure}
        </div>
      )}
      <div className="keyward-actions">
        <button type="button" className={cx("button")} onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className={cx("dangerButton")} onClick={confirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
