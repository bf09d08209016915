/**
 * The app as a module, for `keyward openapi check --app src/main.ts`: it exports the Express
 * app (`default`) and the keyward instance whose presets the gate compares with the catalogue.
 */
import { join } from "node:path";
import { loadOpenApi } from "@keyward/openapi";
import { createApp } from "./app.js";
import { openKeyward } from "./keyward.js";

export const spec = await loadOpenApi(join(import.meta.dirname, "..", "openapi", "v1.yaml"));
export const keyward = openKeyward();
const app = createApp(keyward, spec);
export default app;
