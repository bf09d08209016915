/**
 * The public surface of every entry point, name by name. Growing (or shrinking) what
 * `@keyward/core` promises is a decision: this test fails until the list below is changed with
 * it. Each entry uses explicit named exports only — an `export *` would let internals leak in
 * without anyone deciding it, so it fails the test too.
 */
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ENTRIES = {
  "@keyward/core": "../src/index.ts",
  "@keyward/core/http": "../src/subpaths/http.ts",
  "@keyward/core/store": "../src/subpaths/store.ts",
  "@keyward/core/testing": "../src/testing/index.ts",
} as const;

/** Every name an entry file exports (values and types), from its source; `*` for an `export *`. */
function exportedNames(relative: string): string[] {
  const file = new URL(relative, import.meta.url);
  const source = ts.createSourceFile(file.pathname, readFileSync(file, "utf8"), ts.ScriptTarget.ESNext);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined) names.push("*");
      else if (ts.isNamedExports(clause))
        for (const element of clause.elements) names.push(element.name.text);
      else names.push(`* as ${clause.name.text}`);
    } else if (
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
    ) {
      names.push(`(declared here) ${statement.getText(source).slice(0, 40)}`);
    }
  }
  return names.sort();
}

/** The runtime names of an entry, from the module itself. */
async function runtimeNames(relative: string): Promise<string[]> {
  return Object.keys(await import(relative)).sort();
}

const EXPECTED: Record<keyof typeof ENTRIES, string[]> = {
  "@keyward/core": [
    "ApiKey",
    "ApiKeyJson",
    "AuthFailure",
    "AuthOptions",
    "AuthOutcome",
    "AuthRequest",
    "AuthSuccess",
    "Authenticator",
    "ComposeStoresOptions",
    "CreateKeyInput",
    "Duration",
    "HttpResponse",
    "ImportKeyInput",
    "KeyPage",
    "KeysApi",
    "KeysApiAuthOptions",
    "KeysApiDefaults",
    "KeysApiOptions",
    "KeysApiQuery",
    "KeysApiRequest",
    "Keyward",
    "KeywardError",
    "KeywardErrorCode",
    "KeywardEvent",
    "KeywardEventType",
    "KeywardOptions",
    "KeywardStore",
    "ListKeysQuery",
    "MemoryStoreOptions",
    "NamedRateLimit",
    "ParsedToken",
    "QuotaConfig",
    "QuotaInput",
    "QuotaView",
    "RateLimitAlgorithm",
    "RateLimitHeadersFormat",
    "RateLimitInput",
    "RateLimitPolicy",
    "RateLimitState",
    "RequestHeaders",
    "ResolvedRateLimit",
    "RotateOptions",
    "ScopeEngine",
    "ScopeName",
    "ScopePresets",
    "ScopeRequirement",
    "TOKEN_PATTERN",
    "UpdateKeyInput",
    "ValidationError",
    "VerifyFailure",
    "VerifyFailureCode",
    "VerifyOptions",
    "VerifyResult",
    "VerifySuccess",
    "authenticate",
    "composeStores",
    "createAuthenticator",
    "createKeysApi",
    "createKeyward",
    "createScopes",
    "createVerifier",
    "formatDuration",
    "generateToken",
    "isKeywardError",
    "isKeywardToken",
    "isScope",
    "memoryStore",
    "parseDuration",
    "parseToken",
    "satisfiesScope",
    "tokenPattern",
    "tokenStart",
  ],
  "@keyward/core/http": [
    "AUTH_OPTION_NAMES",
    "ApiKeyJson",
    "AuthFailure",
    "AuthOptions",
    "AuthOutcome",
    "AuthRequest",
    "AuthSuccess",
    "Authenticator",
    "BearerChallenge",
    "BearerError",
    "DEFAULT_HEADER_NAMES",
    "DEFAULT_PROBLEM_TYPE_BASE",
    "DEFAULT_QUERY_PARAMETER",
    "FoundCredential",
    "HttpResponse",
    "KEYS_API_OPTION_NAMES",
    "KeysApi",
    "KeysApiAuthOptions",
    "KeysApiDefaults",
    "KeysApiOptions",
    "KeysApiQuery",
    "KeysApiRequest",
    "PROBLEM_CONTENT_TYPE",
    "PROBLEM_TITLES",
    "ProblemOptions",
    "RateLimitHeadersFormat",
    "RequestAuthenticator",
    "RequestHeaders",
    "STATUS_BY_CODE",
    "ValidationError",
    "authenticate",
    "bearerChallenge",
    "bearerToken",
    "checkOptionNames",
    "createAuthenticator",
    "createKeysApi",
    "createRequestAuthenticator",
    "findCredential",
    "mostRestrictive",
    "problemBody",
    "problemResponse",
    "quoteString",
    "rateLimitHeaders",
    "retryAfterHeader",
    "violatedPolicies",
  ],
  "@keyward/core/store": [
    "ConsumeRequest",
    "ConsumeResult",
    "CounterStore",
    "DEFAULT_RATE_LIMIT_ALGORITHM",
    "FixedWindowState",
    "Hasher",
    "InvalidationBus",
    "KeyPatch",
    "KeyStore",
    "KeywardError",
    "KeywardStore",
    "LIMIT_ALGORITHMS",
    "LimitAlgorithm",
    "LimitParams",
    "LimitRequest",
    "LimitResult",
    "LimitState",
    "ListKeysFilter",
    "QuotaConfig",
    "QuotaRef",
    "QuotaRequest",
    "QuotaResult",
    "QuotaState",
    "RATE_LIMIT_ALGORITHMS",
    "RateLimitAlgorithm",
    "ResolvedRateLimit",
    "SlidingWindowState",
    "StoredKey",
    "StoredSecret",
    "TokenBucketState",
    "UsageEntry",
    "checkOptionNames",
    "createHasher",
    "evaluateLimit",
    "evaluateQuota",
    "fixedWindow",
    "isRateLimitAlgorithm",
    "quotaRefillAt",
    "readQuota",
    "rollQuota",
    "sha256Hex",
    "slidingWindow",
    "tokenBucket",
  ],
  "@keyward/core/testing": [
    "CONFORMANCE_CONTENT_TYPE",
    "CONFORMANCE_EPOCH",
    "CONFORMANCE_GROUPS",
    "CONFORMANCE_PRESETS",
    "CONFORMANCE_ROUTES",
    "ConformanceApp",
    "ConformanceAssertion",
    "ConformanceContext",
    "ConformanceFixture",
    "ConformanceGroup",
    "ConformanceKeyName",
    "ConformanceRequest",
    "ConformanceRoute",
    "ConformanceRunner",
    "ConformanceSetup",
    "ContractAssertion",
    "ContractRunner",
    "CounterContractCapabilities",
    "CreateConformanceApp",
    "KEYWARD_HEADERS",
    "KeysServer",
    "MakeStore",
    "RecordedResponse",
    "SCENARIO_OPTIONS",
    "ScenarioAssertion",
    "ScenarioRunner",
    "StartKeysServer",
    "StoreCapabilities",
    "StoreMode",
    "conformanceBody",
    "conformanceRequests",
    "createConformanceFixture",
    "listenForConformance",
    "recordResponses",
    "runAdapterConformance",
    "runCounterContract",
    "runKeysApiScenario",
    "runStoreContract",
    "switchableStore",
  ],
};

describe("public surface", () => {
  for (const [entry, file] of Object.entries(ENTRIES) as [keyof typeof ENTRIES, string][]) {
    it(`${entry} exports exactly the decided names, each by name (no export *)`, async () => {
      expect(exportedNames(file)).toEqual([...EXPECTED[entry]].sort());
    });

    it(`${entry}: every runtime export is one of the decided names`, async () => {
      const runtime = await runtimeNames(file);
      expect(runtime.length).toBeGreaterThan(0);
      expect(runtime.filter((name) => !EXPECTED[entry].includes(name))).toEqual([]);
    });
  }
});
