// The store contract on ioredis 5, cluster (ioredis 6 standalone runs in contract.test.ts).
import { runClientContract } from "./contract-clients.js";

runClientContract("ioredis 5", "cluster");
