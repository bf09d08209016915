/**
 * The verified-key cache is internal to `createKeyward()` (configure it with the `cache`
 * option); nothing here is public API.
 * @module
 */
export {};
