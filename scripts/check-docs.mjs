#!/usr/bin/env node
/**
 * Type-checks every TypeScript code block of README.md and docs/*.md, so that a sample can
 * never rot: each ```ts block becomes a module of its own, compiled against the packages'
 * sources with the repository's strict settings. A block sees what earlier blocks of its page
 * export (an `import … from "@/lib/keyward"` is pointed at the block that exports it), plus the
 * names the page declares as given in a `<!-- docs-check … -->` comment (your own handlers,
 * the `app` of an earlier block), one import or `declare` per line. Blocks marked ```ts run are then executed
 * too (with tsx, against the sources). A block marked ```ts fragment is skipped: keep those few,
 * for pieces that cannot stand alone (an object literal, a line of a larger file).
 *
 * Usage: node scripts/check-docs.mjs   (exit 1 and page:line for every error)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".tmp", "docs-check");
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/**
 * Every ```ts block of a page: its first line number (1-based), its flags and its text; and the
 * page's `<!-- docs-check ... -->` comment, whose lines (one import or `declare` each) give the
 * names the page's blocks take as given — your own handlers, the `app` of an earlier block.
 */
function read(page) {
  const source = readFileSync(join(root, page), "utf8");
  const given = [...source.matchAll(/<!-- docs-check\n([\s\S]*?)-->/g)].flatMap((m) =>
    m[1].split("\n").filter((line) => line.trim() !== ""),
  );
  const lines = source.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(?:\s+(.*))?$/.exec(lines[i]);
    if (!open) continue;
    const flags = new Set((open[2] ?? "").split(/\s+/).filter(Boolean));
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith("```")) end++;
    blocks.push({ line: start + 1, flags, text: lines.slice(start, end).join("\n") });
    i = end;
  }
  return { given, blocks };
}

const IDENT = /[A-Za-z_$][\w$]*/g;

/** Names a piece of code declares or imports at its top level (good enough for samples). */
function declaredNames(text) {
  const names = new Set();
  for (const m of text.matchAll(
    /^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|type|interface)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    names.add(m[1]);
  }
  for (const m of text.matchAll(/^(?:export\s+)?(?:const|let|var)\s*\{([^}]*)\}/gm)) {
    for (const part of m[1].split(",")) {
      const name = part.split(":").pop().split("=")[0].trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/^import\s+(?:type\s+)?([^"']*?)\s+from\s/gm)) {
    for (const name of m[1]
      .replace(/\btype\b/g, "")
      .replace(/[{}*,]/g, " ")
      .replace(/\bas\b/g, " ")
      .match(IDENT) ?? []) {
      names.add(name);
    }
  }
  return names;
}

/** Names a block exports for the blocks after it on the same page. */
function exportedNames(text) {
  const names = new Set();
  for (const m of text.matchAll(/^export\s+(?:async\s+)?(?:const|let|function|class)\s+([A-Za-z_$][\w$]*)/gm))
    names.add(m[1]);
  for (const m of text.matchAll(/^export\s+const\s*\{([^}]*)\}/gm)) {
    for (const part of m[1].split(",")) if (part.trim()) names.add(part.split(":").pop().trim());
  }
  return names;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const files = new Map();
const runnable = [];
let skipped = 0;
for (const page of pages) {
  const { given, blocks } = read(page);
  const earlier = new Map(); // exported name -> module of the block that exports it
  for (const block of blocks) {
    if (block.flags.has("fragment")) {
      skipped++;
      continue;
    }
    const name = `${page.replace(/[/.]/g, "_")}_L${block.line}`;
    const givenNames = declaredNames(given.join("\n"));
    // An app-local import (`./db`, `@/lib/keyward`) points at the earlier block that exports
    // its names, or is dropped when the page's given names declare them.
    block.text = block.text.replace(
      /^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+["']((?:\.\.?|@)\/[^"']*)["'];?/gm,
      (line, list) => {
        const names = list
          .split(",")
          .map((n) =>
            n
              .trim()
              .split(/\s+as\s+/)
              .pop(),
          )
          .filter(Boolean);
        const from = new Set(names.map((n) => earlier.get(n)));
        if (from.size === 1 && !from.has(undefined)) return `import {${list}} from "./${[...from][0]}.js";`;
        if (names.every((n) => givenNames.has(n))) return "";
        return line;
      },
    );
    block.text = block.text.replace(
      /^import\s+([A-Za-z_$][\w$]*)\s+from\s+["'](?:\.\.?|@)\/[^"']*["'](?:\s+with\s+\{[^}]*\})?;?/gm,
      (line, name) => (givenNames.has(name) ? "" : line),
    );
    const own = declaredNames(block.text);
    const header = [];
    const taken = new Set(own);
    for (const [exported, module] of earlier) {
      if (taken.has(exported) || !new RegExp(`\\b${exported.replace("$", "\\$")}\\b`).test(block.text))
        continue;
      header.push(`import { ${exported} } from "./${module}.js";`);
      taken.add(exported);
    }
    for (const line of given) {
      const names = declaredNames(line);
      if ([...names].some((n) => taken.has(n))) continue;
      header.push(line);
      for (const n of names) taken.add(n);
    }
    // The header goes on the block's first line, so error lines map back to the page.
    writeFileSync(
      join(out, `${name}.ts`),
      `${header.map((h) => `${h} `).join("")}${block.text}\nexport {};\n`,
    );
    files.set(`${name}.ts`, { page, line: block.line });
    for (const exported of exportedNames(block.text)) earlier.set(exported, name);
    if (block.flags.has("run")) runnable.push(`${name}.ts`);
  }
}

const packages = [
  "core",
  "express",
  "fastify",
  "next",
  "hono",
  "postgres",
  "redis",
  "openapi",
  "react",
  "cli",
];
const paths = {
  "@keyward/core": ["../../packages/core/src/index.ts"],
  "@keyward/core/testing": ["../../packages/core/src/testing/index.ts"],
  "@keyward/core/http": ["../../packages/core/src/subpaths/http.ts"],
  "@keyward/core/store": ["../../packages/core/src/subpaths/store.ts"],
  "@keyward/core/edge": ["../../packages/core/src/edge/index.ts"],
  ...Object.fromEntries(
    packages.filter((p) => p !== "core").map((p) => [`@keyward/${p}`, [`../../packages/${p}/src/index.ts`]]),
  ),
  // Third-party imports resolve from the package that depends on them.
  "*": [
    ...packages.map((p) => `../../packages/${p}/node_modules/@types/*`),
    ...packages.map((p) => `../../packages/${p}/node_modules/*`),
    "../../node_modules/*",
  ],
};
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        declaration: false,
        paths,
        typeRoots: ["../../node_modules/@types"],
        noUnusedLocals: false,
      },
      files: [...files.keys()],
    },
    null,
    2,
  ),
);

const tsc = spawnSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", out, "--pretty", "false"],
  {
    encoding: "utf8",
  },
);
const errors = `${tsc.stdout}${tsc.stderr}`
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => {
    const at = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line);
    const source = at && files.get(basename(at[1]));
    return source ? `${source.page}:${source.line + Number(at[2]) - 1}: ${at[4]}` : line;
  });
if (errors.length > 0) {
  console.error(`docs: ${errors.length} type error(s) in code blocks\n${errors.join("\n")}`);
  process.exit(1);
}

for (const name of runnable) {
  const { page, line } = files.get(name);
  const run = spawnSync(
    process.execPath,
    ["--conditions=@keyward/source", "--import", "tsx", join(out, name)],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(out, "tsconfig.json") },
    },
  );
  if (run.status !== 0) {
    console.error(`docs: the block at ${page}:${line} failed when run\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
}
console.log(
  `docs: ${files.size} TypeScript blocks type-check, ${runnable.length} ran, ${skipped} fragment(s) skipped`,
);
