import { packageBuild } from "../../tsup.config.base";

// Runs in browsers: no Node built-ins, React and react-dom stay peer imports.
export default packageBuild({ index: "src/index.ts" }, { platform: "browser", target: "es2022" });
