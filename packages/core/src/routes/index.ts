/**
 * Route metadata and route-table rows, shared by every adapter's `routeTable()`.
 * @module
 */
export {
  apiKeyMetadata,
  describeRoute,
  openApiPath,
  ROUTE_METADATA,
  type RouteAuth,
  type RouteMetadata,
  type RouteTableEntry,
  routeMetadata,
  tagRoute,
} from "./metadata.js";
