/**
 * The one time a token is shown. The token never enters React: the manager hands it over in a
 * ref, this dialog writes it into the DOM itself, and wipes the DOM node and the ref when it
 * closes, so no state, prop, fiber or storage keeps it afterwards.
 */
import { type RefObject, useEffect, useId, useRef, useState } from "react";
import type { ClassFor } from "./class-names.js";
import { Dialog } from "./dialog.js";

export interface RevealDialogProps {
  /** Holds the token while the dialog is open; emptied on close. */
  token: RefObject<string | null>;
  /** The key's name, for the title. */
  keyName: string | null;
  rotated: boolean;
  onClose(): void;
  cx: ClassFor;
  returnFocus: RefObject<HTMLElement | null>;
}

async function copyText(text: string, node: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API (insecure context, denied permission): copy the selection instead.
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

export function RevealDialog({ token, keyName, rotated, onClose, cx, returnFocus }: RevealDialogProps) {
  const code = useRef<HTMLElement>(null);
  const warningId = useId();
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    const node = code.current!;
    node.textContent = token.current;
    return () => {
      node.textContent = "";
      token.current = null;
    };
  }, [token]);

  async function copy() {
    const text = token.current;
    if (text === null || code.current === null) return;
    setCopied((await copyText(text, code.current)) ? "copied" : "failed");
  }

  const title = rotated ? "Copy your new token" : "Copy your new API key";
  return (
    <Dialog title={title} onClose={onClose} cx={cx} returnFocus={returnFocus} describedBy={warningId}>
      <p id={warningId} className={cx("alert")}>
        <strong>This is the only time it is shown.</strong> Copy it now and keep it somewhere safe: you won't
        see it again.
      </p>
      <p>{keyName ? `Key: ${keyName}` : "Unnamed key"}</p>
      <div className="keyward-token-row">
        <span className="keyward-token-label">Your key:</span>
        <code ref={code} className={cx("token")} data-keyward-token="" />
        <button type="button" className={cx("primaryButton")} onClick={copy} data-autofocus>
          {copied === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <p role="status" className="keyward-copy-status">
        {copied === "copied"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "Could not copy: select the key and copy it yourself."
            : ""}
      </p>
      <div className="keyward-actions">
        <button type="button" className={cx("button")} onClick={onClose}>
          I have copied it
        </button>
      </div>
    </Dialog>
  );
}
