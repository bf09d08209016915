// The `express4` dev dependency is an npm alias of express@4; its types are express's.
declare module "express4" {
  import express from "express";
  export default express;
}
