export { createHasher, type Hasher, sha256Hex } from "./hasher.js";
