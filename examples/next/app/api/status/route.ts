import { withApiKeyAuth } from "@keyward/next";
import { keyward } from "../../../lib/keyward.js";

// GET /api/status — public: no key is fine (apiKey is null), a bad key is still rejected.
export const GET = withApiKeyAuth(
  keyward,
  async (_request, { apiKey }) => Response.json({ status: "ok", keyId: apiKey?.id ?? null }),
  { optional: true },
);
