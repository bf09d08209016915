// The store contract on node-redis, standalone (ioredis 6 standalone runs in contract.test.ts).
import { runClientContract } from "./contract-clients.js";

runClientContract("node-redis", "standalone");
