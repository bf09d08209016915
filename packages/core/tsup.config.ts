import { packageBuild } from "../../tsup.config.base";

export default packageBuild({
  index: "src/index.ts",
  http: "src/subpaths/http.ts",
  store: "src/subpaths/store.ts",
  testing: "src/testing/index.ts",
  edge: "src/edge/index.ts",
});
