// Placeholder: the memory key store (owner: core service work). See ../types.ts KeyStore.
import type { KeyStore } from "../types.js";

export function createMemoryKeyStore(): KeyStore {
  throw new Error("memory key store: placeholder");
}
