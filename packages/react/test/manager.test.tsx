// @vitest-environment happy-dom
/**
 * <ApiKeyManager /> in each of its states, against the real management API (see harness.ts):
 * loading, empty, list, create and the one-time reveal, field errors from the API, an expired
 * session, rotate, enable/disable, revoke, delete, pagination.
 */
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { ApiKeyManager, type ApiKeyManagerProps } from "../src/index.js";
import { type Harness, harness } from "./harness.js";

const open: Harness[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(open.splice(0).map((h) => h.close()));
});

function setup(options: Parameters<typeof harness>[0] = {}, props: Partial<ApiKeyManagerProps> = {}) {
  const h = harness(options);
  open.push(h);
  const user = userEvent.setup();
  const view = render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} locale="en-GB" {...props} />);
  return { h, user, view };
}

const table = () => screen.getByRole("table", { name: "API keys" });
const row = (name: string) => screen.getByRole("row", { name: new RegExp(`^${name}\\b`) });

describe("<ApiKeyManager />", () => {
  it("shows a loading status until the first page arrives, then the empty state", async () => {
    const h = harness();
    open.push(h);
    const gate = h.hold(/^GET \/api\/keys/);
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    expect(screen.getByText("Loading API keys…")).toBeTruthy();
    gate.release();
    expect(await screen.findByText(/No API keys yet/)).toBeTruthy();
    expect(screen.queryByText("Loading API keys…")).toBeNull();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("lists only the caller's keys with name, preview, scopes, dates and status", async () => {
    const h = harness();
    open.push(h);
    const { key: sync } = await h.keyward.create({
      ownerId: "org_1",
      name: "Warehouse sync",
      scopes: ["reader"],
    });
    await h.keyward.create({ ownerId: "org_1", name: "Old CI", scopes: ["writer"], enabled: false });
    const { key: gone } = await h.keyward.create({ ownerId: "org_1", name: "Leaked", scopes: [] });
    await h.keyward.revoke(gone.id);
    await h.keyward.create({ ownerId: "org_2", name: "Someone else's" });
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} locale="en-GB" />);
    await screen.findByRole("table");
    const cells = within(row("Warehouse sync"))
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells.slice(0, 6)).toEqual([
      `${sync.start}…`,
      "reader",
      new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" }).format(sync.createdAt),
      "Never",
      "Never",
      "Active",
    ]);
    expect(within(row("Old CI")).getByText("Disabled")).toBeTruthy();
    expect(within(row("Leaked")).getByText("Revoked")).toBeTruthy();
    expect(within(row("Leaked")).queryByRole("button", { name: /Revoke/ })).toBeNull();
    expect(screen.queryByText("Someone else's")).toBeNull();
    expect(within(table()).getAllByRole("row")).toHaveLength(4);
  });

  it("creates a key with scopes from GET /scopes and reveals its token once, announced in a live region", async () => {
    const { h, user } = setup();
    await screen.findByText(/No API keys yet/);
    const opener = screen.getByRole("button", { name: "Create API key" });
    await user.click(opener);
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Name"));
    // The catalogue, with descriptions tied to their checkboxes.
    const writer = await within(dialog).findByRole("checkbox", { name: "writer (task:read, task:write)" });
    expect(writer.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(writer.getAttribute("aria-describedby")!)!.textContent).toBe(
      "Read and write tasks",
    );
    expect(
      within(dialog)
        .getAllByRole("checkbox")
        .map((box) => box.getAttribute("id") !== null),
    ).toHaveLength(3);
    await user.type(within(dialog).getByLabelText("Name"), "Warehouse sync");
    await user.click(writer);
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));

    const reveal = await screen.findByRole("dialog", { name: "Copy your new API key" });
    expect(within(reveal).getByText(/you won't see it again/)).toBeTruthy();
    const token = reveal.querySelector("[data-keyward-token]")!.textContent!;
    expect(token).toMatch(/^sk_test_[0-9A-Za-z]{38}$/);
    const verified = await h.keyward.verify(token);
    expect(verified.ok && verified.key.name).toBe("Warehouse sync");
    expect(verified.ok && verified.key.scopes).toEqual(["writer"]);
    expect(verified.ok && verified.key.expiresAt).toBeNull();
    const live = screen.getAllByRole("status").find((node) => node.getAttribute("aria-live") === "polite")!;
    expect(live.textContent).toBe("API key Warehouse sync created. Copy it now: you won't see it again.");
    expect(live.textContent).not.toContain(token);
    expect(document.activeElement).toBe(within(reveal).getByRole("button", { name: "Copy" }));

    await user.click(within(reveal).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe(token);
    expect(within(reveal).getByText("Copied to the clipboard.")).toBeTruthy();

    await user.click(within(reveal).getByRole("button", { name: "I have copied it" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(opener));
    expect(within(row("Warehouse sync")).getByText("Active")).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(token);
  });

  it("creates a key that expires at the end of the chosen day", async () => {
    const { h, user } = setup();
    await screen.findByText(/No API keys yet/);
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await user.click(within(dialog).getByLabelText("Expires on a date"));
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    expect(within(dialog).getByText("Choose a date")).toBeTruthy();
    expect(h.calls.filter((call) => call.startsWith("POST"))).toEqual([]);
    const next = new Date(Date.now() + 40 * 86_400_000);
    const day = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}-${String(next.getDate()).padStart(2, "0")}`;
    await user.type(within(dialog).getByLabelText("Expiration date"), day);
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    const reveal = await screen.findByRole("dialog", { name: "Copy your new API key" });
    const verified = await h.keyward.verify(reveal.querySelector("[data-keyward-token]")!.textContent!);
    expect(verified.ok && verified.key.expiresAt).toEqual(
      new Date(next.getFullYear(), next.getMonth(), next.getDate(), 23, 59, 59, 999),
    );
  });

  it("shows the API's field errors beside their fields and keeps the dialog open", async () => {
    const { h, user } = setup({ maxExpiresIn: "30d" });
    await screen.findByText(/No API keys yet/);
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    // "Never expires" is refused by the server's policy: 400 with an error at /expiresAt.
    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toBe("The request has 1 problem; see errors.");
    const expiry = within(dialog).getByRole("group", { name: "Expiration" });
    expect(expiry.getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(expiry.getAttribute("aria-describedby")!)!;
    expect(message.textContent).toBe("must be set: keys expire within 30d");
    expect(await h.keyward.list({ ownerId: "org_1" })).toMatchObject({ items: [] });
    // No banner outside the dialog: the dialog shows its own errors.
    expect(screen.getAllByRole("alert")).toEqual([alert]);
  });

  it("shows a failed first load with a way to try again", async () => {
    const h = harness();
    open.push(h);
    const user = userEvent.setup();
    h.fail(/^GET \/api\/keys/, 503, { code: "unavailable", detail: "The key store is unreachable." });
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Could not load your API keys: The key store is unreachable.");
    await h.keyward.create({ ownerId: "org_1", name: "Back" });
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("row", { name: /^Back/ })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("asks the user to sign in again when the session expired (401 from the API)", async () => {
    const h = harness();
    open.push(h);
    const user = userEvent.setup();
    await h.keyward.create({ ownerId: "org_1", name: "Warehouse sync" });
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} signInHref="/sign-in" />);
    await screen.findByRole("row", { name: /^Warehouse sync/ });
    h.session.owner = null;
    await user.click(screen.getByRole("button", { name: "Disable Warehouse sync" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Your session has expired. Sign in again to manage API keys.");
    expect(within(alert).getByRole("link", { name: "Sign in again" }).getAttribute("href")).toBe("/sign-in");
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByRole("button", { name: "Create API key" }).hasAttribute("disabled")).toBe(true);
    const [key] = (await h.keyward.list({ ownerId: "org_1" })).items;
    expect(key!.enabled).toBe(true);
  });

  it("shows the sign-in prompt instead of the table when the first load answers 401", async () => {
    const h = harness();
    open.push(h);
    h.session.owner = null;
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Your session has expired. Sign in again to manage API keys.");
    expect(within(alert).queryByRole("link")).toBeNull();
    expect(screen.queryByText(/No API keys yet/)).toBeNull();
    expect(screen.queryByText("Loading API keys…")).toBeNull();
  });

  it("disables and enables a key at once, and rolls the change back when the API refuses it", async () => {
    const { h, user } = setup();
    const { key } = await h.keyward.create({ ownerId: "org_1", name: "CI" });
    cleanup();
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    await screen.findByRole("row", { name: /^CI/ });
    const gate = h.hold(/^PATCH/);
    await user.click(screen.getByRole("button", { name: "Disable CI" }));
    // Optimistic: shown before the server answered.
    expect(within(row("CI")).getByText("Disabled")).toBeTruthy();
    gate.release();
    await waitFor(async () => expect((await h.keyward.get(key.id))!.enabled).toBe(false));
    h.fail(/^PATCH/, 503, { code: "unavailable", detail: "The key store is unreachable." });
    await user.click(screen.getByRole("button", { name: "Enable CI" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The key store is unreachable.");
    expect(within(row("CI")).getByText("Disabled")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Enable CI" }));
    await waitFor(() => expect(within(row("CI")).getByText("Active")).toBeTruthy());
    expect((await h.keyward.get(key.id))!.enabled).toBe(true);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("rotates with the chosen grace period and reveals the new token; the old one keeps working", async () => {
    const { h, user } = setup();
    const { token: old } = await h.keyward.create({ ownerId: "org_1", name: "Deploy" });
    cleanup();
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    await user.click(await screen.findByRole("button", { name: "Rotate Deploy" }));
    const dialog = await screen.findByRole("dialog", { name: "Rotate Deploy" });
    await user.click(within(dialog).getByLabelText("Keep the old token for 24 hours"));
    await user.click(within(dialog).getByRole("button", { name: "Rotate key" }));
    const reveal = await screen.findByRole("dialog", { name: "Copy your new token" });
    const fresh = reveal.querySelector("[data-keyward-token]")!.textContent!;
    expect(fresh).not.toBe(old);
    expect((await h.keyward.verify(fresh)).ok).toBe(true);
    expect((await h.keyward.verify(old)).ok).toBe(true);
    expect(h.calls).toContain(`POST /api/keys/${(await h.keyward.list()).items[0]!.id}/rotate`);
    await user.click(within(reveal).getByRole("button", { name: "I have copied it" }));
    expect(document.body.innerHTML).not.toContain(fresh);
  });

  it("revokes only after confirmation", async () => {
    const { h, user } = setup();
    const { token } = await h.keyward.create({ ownerId: "org_1", name: "Laptop" });
    cleanup();
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    await user.click(await screen.findByRole("button", { name: "Revoke Laptop" }));
    let confirm = await screen.findByRole("alertdialog", { name: "Revoke Laptop?" });
    expect(document.activeElement).toBe(within(confirm).getByRole("button", { name: "Cancel" }));
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect((await h.keyward.verify(token)).ok).toBe(true);

    await user.click(screen.getByRole("button", { name: "Revoke Laptop" }));
    confirm = await screen.findByRole("alertdialog", { name: "Revoke Laptop?" });
    await user.click(within(confirm).getByRole("button", { name: "Revoke key" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(within(row("Laptop")).getByText("Revoked")).toBeTruthy();
    expect(await h.keyward.verify(token)).toMatchObject({ ok: false, code: "revoked_key" });
  });

  it("deletes only after confirmation, and shows a refusal inside the confirmation", async () => {
    const { h, user } = setup();
    const { key } = await h.keyward.create({ ownerId: "org_1", name: "Temp" });
    cleanup();
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    await user.click(await screen.findByRole("button", { name: "Delete Temp" }));
    let confirm = await screen.findByRole("alertdialog", { name: "Delete Temp?" });
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(await h.keyward.get(key.id)).not.toBeNull();

    h.fail(/^DELETE/, 503, { code: "unavailable", detail: "The key store is unreachable." });
    await user.click(screen.getByRole("button", { name: "Delete Temp" }));
    confirm = await screen.findByRole("alertdialog", { name: "Delete Temp?" });
    await user.click(within(confirm).getByRole("button", { name: "Delete key" }));
    expect((await within(confirm).findByRole("alert")).textContent).toBe("The key store is unreachable.");
    expect(row("Temp")).toBeTruthy();

    await user.click(within(confirm).getByRole("button", { name: "Delete key" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(screen.queryByRole("row", { name: /^Temp/ })).toBeNull();
    expect(await h.keyward.get(key.id)).toBeNull();
  });

  it("pages through the list with the API's cursor", async () => {
    const h = harness();
    open.push(h);
    for (let i = 0; i < 5; i++) await h.keyward.create({ ownerId: "org_1", name: `key ${i}` });
    const user = userEvent.setup();
    render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} pageSize={2} />);
    await screen.findByRole("table");
    expect(within(table()).getAllByRole("row")).toHaveLength(3);
    await user.click(screen.getByRole("button", { name: "Show more keys" }));
    await waitFor(() => expect(within(table()).getAllByRole("row")).toHaveLength(5));
    await user.click(screen.getByRole("button", { name: "Show more keys" }));
    await waitFor(() => expect(within(table()).getAllByRole("row")).toHaveLength(6));
    expect(screen.queryByRole("button", { name: "Show more keys" })).toBeNull();
    expect(h.calls.filter((call) => call.startsWith("GET /api/keys"))).toHaveLength(3);
  });

  it("adds the host app's classes to each slot", async () => {
    setup({}, { className: "settings", classNames: { primaryButton: "btn btn-primary", root: "card" } });
    const button = await screen.findByRole("button", { name: "Create API key" });
    expect(button.className).toBe("keyward-button keyward-button-primary btn btn-primary");
    expect(button.closest("section")!.className).toBe("keyward-root card settings");
  });
});
