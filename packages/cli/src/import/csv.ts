/** Result of parsing accumulated text as one CSV record. */
type CsvParse = { fields: string[] } | { incomplete: true } | { error: string };

/**
 * Parses one RFC 4180 record: comma-separated fields, fields in double quotes may hold commas,
 * line breaks and doubled quotes (`""`). Answers `incomplete` while a quoted field is still
 * open, so the caller can append the next line and try again.
 *
 * @example
 * parseCsvRecord('a,"b, c","say ""hi"""'); // { fields: ["a", "b, c", 'say "hi"'] }
 */
export function parseCsvRecord(text: string): CsvParse {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) return { incomplete: true };
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return { fields };
      if (text[i] !== ",")
        return { error: `unexpected character after a quoted field (column ${fields.length})` };
      i++;
    } else {
      const comma = text.indexOf(",", i);
      const end = comma === -1 ? text.length : comma;
      fields.push(text.slice(i, end).trim());
      if (comma === -1) return { fields };
      i = comma + 1;
    }
  }
}
