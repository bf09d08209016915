/**
 * A store written only from `@keyward/core/store` imports (test/tiny-store/store.ts) passes
 * the whole store contract: the store entry is all a store author needs.
 */
import { describe, expect, it } from "vitest";
import { runStoreContract } from "../src/testing/index.js";
import { tinyStore } from "./tiny-store/store.js";

const store = tinyStore();
runStoreContract({ describe, it, expect }, () => store);
