// Types for Framework's npm: imports (served from the offline cache), so tsc checks components.
declare module "npm:@observablehq/plot" {
  export * from "@observablehq/plot";
}
declare module "npm:d3" {
  export * from "d3";
}
declare module "npm:htl" {
  export * from "htl";
}
