/**
 * `<ApiKeyManager />`: the settings page of a product's customers — their keys in a masked
 * table, a create dialog, the token revealed once, rotate, enable/disable, revoke and delete
 * behind confirmations. Unstyled apart from class names; see `@keyward/react/styles.css`.
 */
import { useCallback, useId, useRef, useState } from "react";
import { ApiKeysError } from "../problem.js";
import type { ApiKeyRecord, CreateApiKeyInput } from "../types.js";
import { type UseApiKeysOptions, useApiKeys } from "../use-api-keys.js";
import { useScopeOptions } from "../use-scope-options.js";
import { type ApiKeyManagerClassNames, classNamesFor } from "./class-names.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { CreateDialog } from "./create-dialog.js";
import { KeyTable, type KeyTableProps, labelOf, type RowAction } from "./key-table.js";
import { RevealDialog } from "./reveal-dialog.js";
import { DEFAULT_GRACE_OPTIONS, type GraceOption, RotateDialog } from "./rotate-dialog.js";

/** Props of {@link ApiKeyManager}. */
export interface ApiKeyManagerProps extends UseApiKeysOptions {
  /** Heading of the page section. @defaultValue "API keys" */
  title?: string;
  /** Added to the root element's classes. */
  className?: string;
  /** Classes per part of the page, added to each part's `keyward-…` class. */
  classNames?: ApiKeyManagerClassNames;
  /** Locale of the dates (a BCP 47 tag). @defaultValue the browser's */
  locale?: string;
  /** The grace periods offered when rotating. @defaultValue now, 1 hour, 24 hours, 7 days */
  graceOptions?: readonly GraceOption[];
  /** Where "Sign in again" leads when the session has expired (a 401 from the API). */
  signInHref?: string;
}

type Open =
  | null
  | { kind: "create" }
  | { kind: "reveal"; keyName: string | null; rotated: boolean }
  | { kind: "rotate" | "revoke" | "delete"; key: ApiKeyRecord };

/**
 * The whole key-management UI over the management API at `baseUrl`.
 *
 * @example
 * <ApiKeyManager baseUrl="/api" signInHref="/sign-in" classNames={{ primaryButton: "btn btn-primary" }} />
 */
export function ApiKeyManager(props: ApiKeyManagerProps) {
  const {
    title = "API keys",
    className,
    classNames,
    locale,
    graceOptions = DEFAULT_GRACE_OPTIONS,
    signInHref,
  } = props;
  const api = useApiKeys(props);
  const catalogue = useScopeOptions(props);
  const cx = classNamesFor(classNames);
  const headingId = useId();
  const [open, setOpen] = useState<Open>(null);
  const [announcement, setAnnouncement] = useState("");
  // The token between the API's answer and the end of the reveal; never React state.
  const token = useRef<string | null>(null);
  const createButton = useRef<HTMLButtonElement>(null);
  const lastTrigger = useRef<HTMLElement | null>(null);
  const now = Date.now();

  /** Errors a dialog shows itself leave no banner behind, except an expired session. */
  const inDialog = useCallback(
    async <T,>(run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof ApiKeysError && error.unauthorized)) api.clearError();
        throw error;
      }
    },
    [api.clearError],
  );

  async function create(input: CreateApiKeyInput) {
    const issued = await inDialog(() => api.create(input));
    token.current = issued.token;
    setOpen({ kind: "reveal", keyName: issued.key.name, rotated: false });
    setAnnouncement(`API key ${labelOf(issued.key)} created. Copy it now: you won't see it again.`);
  }

  async function rotate(key: ApiKeyRecord, gracePeriod: string | null) {
    const issued = await inDialog(() => api.rotate(key.id, gracePeriod === null ? {} : { gracePeriod }));
    token.current = issued.token;
    setOpen({ kind: "reveal", keyName: issued.key.name, rotated: true });
    setAnnouncement(`API key ${labelOf(key)} rotated. Copy the new token now: you won't see it again.`);
  }

  const onAction: KeyTableProps["onAction"] = (action: RowAction, key, trigger) => {
    lastTrigger.current = trigger;
    if (action === "enable" || action === "disable") {
      const enabled = action === "enable";
      api.update(key.id, { enabled }).then(
        () => setAnnouncement(`API key ${labelOf(key)} ${enabled ? "enabled" : "disabled"}.`),
        () => {
          // shown by the error banner
        },
      );
      return;
    }
    setOpen({ kind: action, key });
  };

  const close = () => setOpen(null);
  const closeReveal = () => {
    token.current = null;
    setOpen(null);
    setAnnouncement("");
  };

  const sessionExpired = api.error?.unauthorized === true;
  const loadFailed = api.error !== null && !sessionExpired;

  return (
    <section className={cx("root", className)} aria-labelledby={headingId}>
      <div className={cx("header")}>
        <h2 id={headingId}>{title}</h2>
        <button
          ref={createButton}
          type="button"
          className={cx("primaryButton")}
          onClick={() => setOpen({ kind: "create" })}
          disabled={sessionExpired}
        >
          Create API key
        </button>
      </div>
      <div role="status" aria-live="polite" className="keyward-visually-hidden">
        {announcement}
      </div>
      {sessionExpired && (
        <div role="alert" className={cx("alert")}>
          Your session has expired. {signInHref ? <a href={signInHref}>Sign in again</a> : "Sign in again"} to
          manage API keys.
        </div>
      )}
      {loadFailed && (
        <div role="alert" className={cx("alert")}>
          {api.keys.length === 0 ? "Could not load your API keys: " : "That did not work: "}
          {api.error!.detail}{" "}
          <button type="button" className={cx("button")} onClick={() => void api.refresh()}>
            Try again
          </button>
        </div>
      )}
      {api.loading && api.keys.length === 0 && !api.error && <p role="status">Loading API keys…</p>}
      {!api.loading && !api.error && api.keys.length === 0 && (
        <p className="keyward-empty">No API keys yet. Create one to call the API from your own code.</p>
      )}
      {api.keys.length > 0 && !sessionExpired && (
        <KeyTable keys={api.keys} now={now} locale={locale} cx={cx} onAction={onAction} />
      )}
      {api.hasMore && !sessionExpired && (
        <button
          type="button"
          className={cx("button")}
          onClick={() => void api.loadMore()}
          disabled={api.loadingMore}
        >
          {api.loadingMore ? "Loading…" : "Show more keys"}
        </button>
      )}

      {open?.kind === "create" && (
        <CreateDialog
          catalogue={catalogue}
          onCreate={create}
          onClose={close}
          cx={cx}
          returnFocus={createButton}
          now={now}
        />
      )}
      {open?.kind === "reveal" && (
        <RevealDialog
          token={token}
          keyName={open.keyName}
          rotated={open.rotated}
          onClose={closeReveal}
          cx={cx}
          returnFocus={createButton}
        />
      )}
      {open?.kind === "rotate" && (
        <RotateDialog
          keyName={labelOf(open.key)}
          options={graceOptions}
          onRotate={(grace) => rotate(open.key, grace)}
          onClose={close}
          cx={cx}
          returnFocus={createButton}
        />
      )}
      {open?.kind === "revoke" && (
        <ConfirmDialog
          title={`Revoke ${labelOf(open.key)}?`}
          confirmLabel="Revoke key"
          onConfirm={async () => {
            await inDialog(() => api.revoke(open.key.id));
            setAnnouncement(`API key ${labelOf(open.key)} revoked.`);
            close();
          }}
          onClose={close}
          cx={cx}
          returnFocus={createButton}
        >
          <p>Requests with this key will be refused from now on. This cannot be undone.</p>
        </ConfirmDialog>
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${labelOf(open.key)}?`}
          confirmLabel="Delete key"
          onConfirm={async () => {
            await inDialog(() => api.delete(open.key.id));
            setAnnouncement(`API key ${labelOf(open.key)} deleted.`);
            close();
          }}
          onClose={close}
          cx={cx}
          returnFocus={createButton}
        >
          <p>The key is removed for good and stops working. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
