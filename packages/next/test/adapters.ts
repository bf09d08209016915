/** Every adapter's conformance app, for suites that run all of them (other stores, comparisons). */
import type { CreateConformanceApp } from "@keyward/core/testing";
import { express4App, expressApp } from "../../express/test/app.js";
import { fastifyApp } from "../../fastify/test/app.js";
import { nextApp } from "./app.js";

/** `[name, createApp]` for Express 5, Express 4, Fastify 5 and Next. */
export const ALL_ADAPTERS: readonly (readonly [string, CreateConformanceApp])[] = [
  ["Express 5", expressApp()],
  ["Express 4", express4App()],
  ["Fastify 5", fastifyApp],
  ["Next", nextApp],
];
