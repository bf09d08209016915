/** Bare Express: the route and nothing else (the floor for the Express variants). */
import express from "express";
import { announce, port, TASKS } from "./serve.js";

const app = express();
app.disable("x-powered-by");
app.get("/v1/tasks", (_req, res) => {
  res.json(TASKS);
});
const server = app.listen(port(), "127.0.0.1", () => announce(server));
