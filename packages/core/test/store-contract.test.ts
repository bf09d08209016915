import { memoryStore } from "@keyward/core";
import { runStoreContract } from "@keyward/core/testing";
import { describe, expect, it } from "vitest";

// One memory store for the whole file: the suite isolates tests by fresh ids and owners,
// which is what it must do on a shared PostgreSQL or Redis too.
const shared = memoryStore();
runStoreContract({ describe, it, expect }, () => shared);
