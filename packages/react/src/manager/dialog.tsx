/**
 * A modal on the native `<dialog>`: `showModal()` gives the focus trap, the inert background
 * and Escape for free. Focus goes to the element marked `autoFocus` (or the first control) on
 * open, and back to where it was, or to `returnFocus`, on close.
 */
import { type ReactNode, type RefObject, useEffect, useId, useRef } from "react";
import type { ClassFor } from "./class-names.js";

export interface DialogProps {
  title: string;
  /** Called for Escape and every close button; the parent unmounts the dialog. */
  onClose(): void;
  children: ReactNode;
  cx: ClassFor;
  /** Where focus goes on close when the element that had it is gone. */
  returnFocus?: RefObject<HTMLElement | null>;
  /** `alertdialog` for confirmations. @defaultValue "dialog" */
  role?: "dialog" | "alertdialog";
  describedBy?: string;
}

export function Dialog({ title, onClose, children, cx, returnFocus, role, describedBy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current!;
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && active !== document.body ? active : null;
    if (!dialog.open) dialog.showModal();
    const target = dialog.querySelector<HTMLElement>("[data-autofocus]");
    target?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      const back = opener?.isConnected ? opener : returnFocus?.current;
      // After React commits the removal, so the focus is not lost again; unless another dialog
      // opened in its place (create → reveal), which keeps the focus.
      queueMicrotask(() => {
        if (document.querySelector("dialog[open]") === null) back?.focus();
      });
    };
  }, [returnFocus]);

  return (
    <dialog
      ref={ref}
      className={cx("dialog")}
      aria-labelledby={titleId}
      {...(describedBy ? { "aria-describedby": describedBy } : {})}
      {...(role === "alertdialog" ? { role } : {})}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
