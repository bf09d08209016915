/** The outbox contract on the memory store (two "instances" share one store object). */
import { describe, expect, it } from "vitest";
import { memoryStore } from "../src/index.js";
import { runOutboxContract } from "../src/testing/index.js";

const store = memoryStore();
runOutboxContract({ describe, it, expect }, () => store);
