/**
 * Renders rows as a left-aligned table: a header row, then one line per row, columns
 * separated by two spaces. Cells are single-line; the last column is not padded.
 *
 * @example
 * renderTable(["ID", "NAME"], [["key_1", "sync"]]);
 * // "ID     NAME\nkey_1  sync\n"
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = rows.map((row) => row.map((cell) => cell.replace(/\s+/g, " ")));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...clean.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...clean.map(line)].map((text) => `${text}\n`).join("");
}
