import { packageBuild } from "../../tsup.config.base";

// Runs in browsers: no Node built-ins, React and react-dom stay peer imports. Every export is
// a hook, a component or what they throw, so the bundle is a client module for React Server
// Components frameworks (Next's app/ can import it from a server component).
export default packageBuild(
  { index: "src/index.ts" },
  { platform: "browser", target: "es2022", banner: { js: '"use client";' }, treeshake: false },
);
