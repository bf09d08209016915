/**
 * The settings page in a real browser: Debian's Chromium (/usr/bin/chromium, never a download)
 * driven by playwright-core against the built example. Sign in, create a key, copy it from the
 * reveal, call the protected API with it, rotate, revoke, delete; an axe-core scan of the page
 * and of its dialogs; a screenshot for docs/react.md.
 */
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "./app.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const screenshot = fileURLToPath(new URL("../../../docs/react-settings.png", import.meta.url));

let app: RunningApp | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
/** The token of "Warehouse sync", from the reveal of the create test. */
let warehouse = "";

beforeAll(async () => {
  app = await startApp();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  context = await browser.newContext({ viewport: { width: 1200, height: 560 }, locale: "en-GB" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  page = await context.newPage();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Serious and critical axe-core violations on the page as it is now. */
async function seriousViolations(): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
}

const tasks = (token: string) =>
  fetch(`${app!.url}/api/tasks`, { headers: { authorization: `Bearer ${token}` } });

/** Copies the token with the reveal's Copy button and reads it back from the clipboard. */
async function copyFromReveal(title: string): Promise<string> {
  const reveal = page.getByRole("dialog", { name: title });
  await reveal.waitFor();
  await expectText(reveal.getByText(/you won't see it again/), /you won't see it again/);
  await reveal.getByRole("button", { name: "Copy" }).click();
  await reveal.getByText("Copied to the clipboard.").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(await reveal.locator("[data-keyward-token]").textContent()).toBe(copied);
  return copied;
}

async function expectText(locator: ReturnType<Page["getByText"]>, pattern: RegExp) {
  expect(await locator.textContent()).toMatch(pattern);
}

async function closeReveal(token: string) {
  await page.getByRole("button", { name: "I have copied it" }).click();
  await page.getByRole("dialog").waitFor({ state: "detached" });
  expect(await page.content()).not.toContain(token);
}

/** Creates a key through the dialog and returns the token copied from the reveal. */
async function createKey(name: string, preset: "reader" | "writer"): Promise<string> {
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: new RegExp(`^${preset}`) }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const token = await copyFromReveal("Copy your new API key");
  await closeReveal(token);
  return token;
}

/**
 * Resolves once the page's management call `method` to a path matching `path` has its answer.
 * Disable, revoke and delete update the page optimistically, before the server has made the
 * change: a request to the API right after the page changed could still find the key as it was.
 */
function answered(method: string, path: RegExp): Promise<unknown> {
  return page.waitForResponse(
    (response) => response.request().method() === method && path.test(new URL(response.url()).pathname),
  );
}

async function rowStatus(name: string): Promise<string | null> {
  return page
    .getByRole("row", { name: new RegExp(`^${name}`) })
    .locator(".keyward-status")
    .textContent();
}

describe("the settings page in Chromium", () => {
  it("sends a visitor without a session to the demo sign-in, and back after signing in", async () => {
    await page.goto(`${app!.url}/settings/api-keys`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.getByLabel("Organisation id").fill("org_browser");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/settings\/api-keys$/);
    await page.getByText(/No API keys yet/).waitFor();
    expect(await seriousViolations()).toEqual([]);
  });

  it("creates a key, reveals it once, and the copied token calls the protected API (200)", async () => {
    await page.getByRole("button", { name: "Create API key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create API key" });
    await dialog.waitFor();
    // Focus starts in the dialog's first field; the scopes come from GET /api/scopes.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("name");
    await page.keyboard.type("Warehouse sync");
    await dialog.getByRole("checkbox", { name: /^reader/ }).check();
    expect(await dialog.getByText("Read tasks", { exact: true }).isVisible()).toBe(true);
    expect(await seriousViolations()).toEqual([]);
    await dialog.getByRole("button", { name: "Create key" }).click();

    const token = await copyFromReveal("Copy your new API key");
    expect(token).toMatch(/^sk_test_[0-9A-Za-z]{38}$/);
    expect(await seriousViolations()).toEqual([]);
    await closeReveal(token);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Create API key");

    warehouse = token;
    const response = await tasks(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tasks: [] });
    expect(await rowStatus("Warehouse sync")).toBe("Active");
  });

  it("rotates: the new token works, the old one stops (no grace period chosen); disables", async () => {
    expect((await tasks(warehouse)).status).toBe(200);
    await page.getByRole("button", { name: "Rotate Warehouse sync" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate Warehouse sync" });
    await dialog.getByLabel("Stop the old token now").check();
    await dialog.getByRole("button", { name: "Rotate key" }).click();
    const fresh = await copyFromReveal("Copy your new token");
    await closeReveal(fresh);
    expect(fresh).not.toBe(warehouse);
    expect((await tasks(fresh)).status).toBe(200);
    expect((await tasks(warehouse)).status).toBe(401);

    // A second key, disabled through the keyboard, for the screenshot.
    const deploy = await createKey("CI deploy", "writer");
    expect((await tasks(deploy)).status).toBe(200);
    await page.getByRole("button", { name: "Disable CI deploy" }).focus();
    const disabled = answered("PATCH", /^\/api\/keys\/[^/]+$/);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Enable CI deploy" }).waitFor();
    await disabled;
    expect(await rowStatus("CI deploy")).toBe("Disabled");
    expect((await tasks(deploy)).status).toBe(401);
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(await seriousViolations()).toEqual([]);
  });

  it("revokes behind a confirmation (then 401) and deletes behind another", async () => {
    const token = await createKey("Laptop", "reader");
    expect((await tasks(token)).status).toBe(200);

    await page.getByRole("button", { name: "Revoke Laptop" }).click();
    let confirm = page.getByRole("alertdialog", { name: "Revoke Laptop?" });
    // Escape cancels (the native <dialog>'s cancel event): nothing happens.
    await confirm.waitFor();
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "detached" });
    expect((await tasks(token)).status).toBe(200);

    await page.getByRole("button", { name: "Revoke Laptop" }).click();
    expect(await seriousViolations()).toEqual([]);
    const revokedOnServer = answered("POST", /^\/api\/keys\/[^/]+\/revoke$/);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await rowStatus("Laptop")).toBe("Revoked");
    await revokedOnServer;
    const revoked = await tasks(token);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: "revoked_key" });

    await page.getByRole("button", { name: "Delete Laptop" }).click();
    confirm = page.getByRole("alertdialog", { name: "Delete Laptop?" });
    const deletedOnServer = answered("DELETE", /^\/api\/keys\/[^/]+$/);
    await confirm.getByRole("button", { name: "Delete key" }).click();
    await confirm.waitFor({ state: "detached" });
    await page.getByRole("row", { name: /^Laptop/ }).waitFor({ state: "detached" });
    await deletedOnServer;
    const listed = await page.evaluate(async () => (await fetch("/api/keys")).json());
    expect(listed.items.map((key: { name: string }) => key.name).sort()).toEqual([
      "CI deploy",
      "Warehouse sync",
    ]);
    expect((await tasks(token)).status).toBe(401);
  });
});
