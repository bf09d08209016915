/** Express with the hand-written middleware of handwritten.ts: the floor for Express + keyward. */
import express from "express";
import { check, TOKEN } from "./handwritten.js";
import { announce, port, TASKS } from "./serve.js";

const app = express();
app.disable("x-powered-by");
app.get(
  "/v1/tasks",
  (req, res, next) => {
    const headers = check(req.headers.authorization);
    if (headers === null) {
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    res.setHeader("RateLimit-Policy", headers[0]);
    res.setHeader("RateLimit", headers[1]);
    next();
  },
  (_req, res) => {
    res.json(TASKS);
  },
);
const server = app.listen(port(), "127.0.0.1", () => announce(server, { authorization: `Bearer ${TOKEN}` }));
