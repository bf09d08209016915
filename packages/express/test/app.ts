/**
 * Mounts the conformance route table on an Express app (5, or 4 through the `express4` alias).
 * Also used by the cross-adapter comparison in packages/next/test.
 */
import { createServer } from "node:http";
import {
  CONFORMANCE_CONTENT_TYPE,
  type ConformanceApp,
  type ConformanceRoute,
  type ConformanceSetup,
  conformanceBody,
  listenForConformance,
  type WebhookConformanceRoute,
  webhookConformanceBody,
} from "@keyward/core/testing";
import express5, { type Request, type RequestHandler, type Response, type Router } from "express";
import express4 from "express4";
import { apiKeyAuth, webhookAuth } from "../src/index.js";

type ExpressModule = typeof express5;

const handler = (req: Request, res: Response): void => {
  res.setHeader("Content-Type", CONFORMANCE_CONTENT_TYPE);
  res.end(conformanceBody(req.apiKey));
};

function mount(router: Router, setup: ConformanceSetup, routes: readonly ConformanceRoute[]): void {
  for (const route of routes) {
    const chain: RequestHandler[] = route.auth === false ? [] : [apiKeyAuth(setup.keyward, route.auth)];
    router.get(route.path, ...chain, handler);
  }
}

/** A `createApp` for `runAdapterConformance` built on the given express module. */
export function expressApp(express: ExpressModule = express5) {
  return (setup: ConformanceSetup): Promise<ConformanceApp> => {
    const app = express();
    const root = express.Router();
    mount(root, setup, setup.routes);
    app.use(root);
    for (const group of setup.groups) {
      const router = express.Router();
      router.use(apiKeyAuth(setup.keyward, group.auth));
      mount(router, setup, group.routes);
      app.use(group.prefix, router);
    }
    return listenForConformance(createServer(app));
  };
}

/** The same on Express 4 (the `express4` alias), for tests outside this package. */
export const express4App = () => expressApp(express4);

/** A `CreateWebhookApp`: Express 5 reads the raw stream itself, Express 4 behind `express.raw()`. */
export function expressWebhookApp(express: ExpressModule = express5) {
  return (routes: readonly WebhookConformanceRoute[]): Promise<ConformanceApp> => {
    const app = express();
    const raw = express === express5 ? [] : [express.raw({ type: "*/*" })];
    for (const route of routes) {
      app.post(route.path, ...raw, webhookAuth(route.options), (req: Request, res: Response) => {
        res.setHeader("Content-Type", CONFORMANCE_CONTENT_TYPE);
        res.end(webhookConformanceBody(req.body as Buffer));
      });
    }
    return listenForConformance(createServer(app));
  };
}

/** The same on Express 4, for tests outside this package. */
export const express4WebhookApp = () => expressWebhookApp(express4);
