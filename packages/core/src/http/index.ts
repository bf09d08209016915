export * from "./problem.js";
export type * from "./types.js";
