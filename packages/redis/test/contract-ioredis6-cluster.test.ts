// The store contract on ioredis 6, cluster (ioredis 6 standalone runs in contract.test.ts).
import { runClientContract } from "./contract-clients.js";

runClientContract("ioredis 6", "cluster");
