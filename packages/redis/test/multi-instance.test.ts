import { connect, deletePrefix } from "./helpers.js";
import { runMultiInstance } from "./multi-instance-scenario.js";

runMultiInstance("two instances over one Redis", async () => {
  const clients = [await connect(), await connect()] as const;
  return {
    clients,
    deletePrefix: (prefix: string) => deletePrefix(clients[0], prefix),
    close: () => Promise.all(clients.map((client) => client.quit())),
  };
});
