import { packageBuild } from "../../tsup.config.base";

// The library entry (run(), for tests and embedders) in ESM + CJS with types, and the
// executable as a single ESM file: dist/cli.js, the package's "bin".
export default [
  packageBuild({ index: "src/index.ts" }),
  packageBuild({ cli: "src/cli.ts" }, { format: ["esm"], dts: false, clean: false }),
];
