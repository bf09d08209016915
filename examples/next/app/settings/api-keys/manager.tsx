"use client";

import { ApiKeyManager } from "@keyward/react";

// The settings page's client part: the management API is the catch-all under /api, and the
// session cookie goes along with every request.
export function Manager() {
  return <ApiKeyManager baseUrl="/api" signInHref="/sign-in" locale="en-GB" />;
}
