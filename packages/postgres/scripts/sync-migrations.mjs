// Writes src/migrations/<file>.ts from every sql/<file>.sql, so the SQL users run by hand and
// the SQL migrate() runs are the same text (test/migrations.test.ts checks it).
// Usage: node packages/postgres/scripts/sync-migrations.mjs
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
for (const file of readdirSync(join(root, "sql")).filter((name) => name.endsWith(".sql"))) {
  const text = readFileSync(join(root, "sql", file), "utf8");
  if (text.includes("`") || text.includes("${"))
    throw new Error(`${file}: backticks and \${ are not allowed`);
  const name = file.replace(/\.sql$/, "");
  const out = [
    `// Generated from sql/${file} by scripts/sync-migrations.mjs; edit the .sql file, then rerun it.`,
    `/** The text of sql/${file}, with {{schema}} and {{prefix}} placeholders. */`,
    `export const sql = ${text.includes("\\") ? "String.raw" : ""}\`${text}\`;`,
    "",
  ].join("\n");
  writeFileSync(join(root, "src", "migrations", `${name}.ts`), out);
  console.log(`src/migrations/${name}.ts`);
}
