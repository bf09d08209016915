// @vitest-environment happy-dom
/**
 * Once the reveal dialog is dismissed, the token is nowhere the page can reach: not in the DOM
 * (text, attributes, form values), not in localStorage / sessionStorage / cookies, and not in
 * any React fiber of the tree (state hooks, refs, props, update queues — of both the current
 * and the alternate fiber). Each scan is first shown to find the token while it is on screen.
 */
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { ApiKeyManager } from "../src/index.js";
import { type Harness, harness } from "./harness.js";

const open: Harness[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(open.splice(0).map((h) => h.close()));
});

/** Where in the DOM a string occurs: markup (text, attributes) or a live form value. */
function inDom(token: string): string[] {
  const found: string[] = [];
  if (document.documentElement.outerHTML.includes(token)) found.push("markup");
  for (const field of document.querySelectorAll("input, textarea, select")) {
    if ((field as HTMLInputElement).value.includes(token)) found.push(`value of ${field.tagName}`);
  }
  return found;
}

function inStorage(token: string): string[] {
  const found: string[] = [];
  for (const [name, storage] of [
    ["localStorage", localStorage],
    ["sessionStorage", sessionStorage],
  ] as const) {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)!;
      if (key.includes(token) || storage.getItem(key)!.includes(token)) found.push(name);
    }
  }
  if (document.cookie.includes(token)) found.push("cookie");
  return found;
}

// biome-ignore lint/suspicious/noExplicitAny: React's internal fiber objects are walked untyped
type Fiber = any;

/** Every fiber under a DOM container, current and alternate. */
function fibersOf(container: Element): Fiber[] {
  const rootKey = Object.keys(container).find((key) => key.startsWith("__reactContainer$"));
  if (rootKey === undefined) throw new Error("not a React root container");
  const seen = new Set<Fiber>();
  const stack: Fiber[] = [(container as unknown as Record<string, Fiber>)[rootKey]];
  while (stack.length > 0) {
    const fiber = stack.pop();
    if (fiber === null || fiber === undefined || seen.has(fiber)) continue;
    seen.add(fiber);
    stack.push(fiber.child, fiber.sibling, fiber.alternate);
  }
  return [...seen];
}

/** Deep search of plain data for a string, not entering DOM nodes or other fibers. */
function contains(value: unknown, token: string, seen: Set<object>): boolean {
  if (typeof value === "string") return value.includes(token);
  if (value === null || typeof value !== "object") return false;
  if (seen.has(value) || value instanceof Node) return false;
  if ("tag" in value && "stateNode" in value && "return" in value) return false; // a fiber
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    if (key === "_owner" || key === "_store") continue;
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if (descriptor.get !== undefined) continue; // React's dev-mode warning getters (props.key)
    if (contains(descriptor.value, token, seen)) return true;
  }
  return false;
}

/** Which fibers (by component name) hold the token in their state, props or update queue. */
function inFibers(container: Element, token: string): string[] {
  const found: string[] = [];
  for (const fiber of fibersOf(container)) {
    const parts = {
      memoizedState: fiber.memoizedState,
      memoizedProps: fiber.memoizedProps,
      pendingProps: fiber.pendingProps,
      updateQueue: fiber.updateQueue,
    };
    for (const [part, value] of Object.entries(parts)) {
      if (contains(value, token, new Set())) {
        const name = typeof fiber.type === "function" ? fiber.type.name : String(fiber.type);
        found.push(`${name}.${part}`);
      }
    }
  }
  return found;
}

describe("after the reveal dialog closes", () => {
  it("the token is in no DOM node, storage or React fiber (each scan finds it while shown)", async () => {
    const h = harness();
    open.push(h);
    const user = userEvent.setup();
    const { container } = render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    await screen.findByText(/No API keys yet/);
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await user.type(within(dialog).getByLabelText("Name"), "Scanned");
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));
    const reveal = await screen.findByRole("dialog", { name: "Copy your new API key" });
    const token = reveal.querySelector("[data-keyward-token]")!.textContent!;
    expect((await h.keyward.verify(token)).ok).toBe(true);
    await user.click(within(reveal).getByRole("button", { name: "Copy" }));

    // The scans can fail: while the reveal is open they find the token in the DOM and in the
    // fiber that holds it (the manager's ref), and in storage once it is put there.
    expect(inDom(token)).toEqual(["markup"]);
    expect(inFibers(container, token)).toContain("ApiKeyManager.memoizedState");
    sessionStorage.setItem("probe", token);
    expect(inStorage(token)).toEqual(["sessionStorage"]);
    sessionStorage.removeItem("probe");

    await user.click(within(reveal).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    // A few more renders and interactions, as a user would go on.
    await user.click(screen.getByRole("button", { name: "Disable Scanned" }));
    await screen.findByRole("button", { name: "Enable Scanned" });

    expect(inDom(token)).toEqual([]);
    expect(inStorage(token)).toEqual([]);
    expect(inFibers(container, token)).toEqual([]);
  });

  it("the same after a rotation's reveal", async () => {
    const h = harness();
    open.push(h);
    await h.keyward.create({ ownerId: "org_1", name: "Rotated" });
    const user = userEvent.setup();
    const { container } = render(<ApiKeyManager baseUrl="/api" fetch={h.fetch} />);
    await user.click(await screen.findByRole("button", { name: "Rotate Rotated" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Rotate key" }));
    const reveal = await screen.findByRole("dialog", { name: "Copy your new token" });
    const token = reveal.querySelector("[data-keyward-token]")!.textContent!;
    expect(inFibers(container, token)).not.toEqual([]);
    await user.click(within(reveal).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(inDom(token)).toEqual([]);
    expect(inStorage(token)).toEqual([]);
    expect(inFibers(container, token)).toEqual([]);
  });
});
