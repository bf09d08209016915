/**
 * Express's common way: passport with passport-headerapikey (one accepted key, no sessions)
 * and express-rate-limit (in memory, keyed by the authenticated key, a limit nothing reaches).
 */
import express from "express";
import { rateLimit } from "express-rate-limit";
import passport from "passport";
import { HeaderAPIKeyStrategy } from "passport-headerapikey";
import { announce, HUGE_LIMIT, port, TASKS } from "./serve.js";

const KEY = "bench-passport-key-0123456789abcdefghijklmnopqrstu";
const USER = { id: "user_1", key: KEY };

passport.use(
  new HeaderAPIKeyStrategy({ header: "Authorization", prefix: "Bearer " }, false, (apiKey, done) => {
    done(null, apiKey === KEY ? USER : false);
  }),
);

const app = express();
app.disable("x-powered-by");
app.use(passport.initialize());
app.get(
  "/v1/tasks",
  passport.authenticate("headerapikey", { session: false }),
  rateLimit({
    windowMs: 60_000,
    limit: HUGE_LIMIT,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => (req.user as typeof USER).id,
  }),
  (_req, res) => {
    res.json(TASKS);
  },
);
const server = app.listen(port(), "127.0.0.1", () => announce(server, { authorization: `Bearer ${KEY}` }));
