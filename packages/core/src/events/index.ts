/**
 * Events reach the `onEvent` option of `createKeyward()`; their shapes are the exported
 * `KeywardEvent` type. The delivery machinery is internal.
 * @module
 */
export {};
