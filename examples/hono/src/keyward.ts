import { createKeyward, memoryStore } from "@keyward/core";

/** The keyward instance of the example: the memory store, three scope presets. */
export function openKeyward() {
  return createKeyward({
    store: memoryStore(),
    prefix: "sk_demo",
    scopes: {
      reader: ["task:read"],
      writer: ["task:read", "task:write"],
      admin: ["admin", "task:read", "task:write"],
    },
    rateLimit: { limit: 5, window: "1m" },
  });
}
