/**
 * The scope query parser. Grammar (EBNF; keywords case-insensitive, AND binds tighter):
 *
 *   query = or ;
 *   or    = and , { "OR" , and } ;
 *   and   = term , { "AND" , term } ;
 *   term  = scope | preset | "(" , or , ")" ;
 *
 * Words are runs of characters other than whitespace and parentheses; each word that is not a
 * keyword must be a scope or a preset name (checked by the caller's `checkWord`).
 */

/** A parsed requirement: one scope (or preset name), or an AND / OR of sub-requirements. */
export type ScopeNode =
  | { readonly kind: "scope"; readonly name: string }
  | { readonly kind: "and" | "or"; readonly children: readonly ScopeNode[] };

interface Token {
  readonly kind: "(" | ")" | "and" | "or" | "word" | "end";
  readonly text: string;
  /** 0-based index in the query. */
  readonly start: number;
}

/** Deeper nesting than this is refused rather than risking the call stack. */
const MAX_DEPTH = 64;

/**
 * Parses a query string. `checkWord` returns a description of what is wrong with a word, or
 * null when the word is an acceptable scope or preset name.
 *
 * @throws TypeError naming the option, the problem and its 1-based position, with the query
 * echoed and a caret under the spot
 */
export function parseScopeQuery(
  query: string,
  option: string,
  checkWord: (word: string) => string | null,
): ScopeNode {
  return new Parser(query, option, checkWord).parse();
}

/** Joins nodes with AND or OR, lifting children of the same kind (both are associative). */
export function joinNodes(kind: "and" | "or", nodes: readonly ScopeNode[]): ScopeNode {
  if (nodes.length === 1) return nodes[0]!;
  const children = nodes.flatMap((node) => (node.kind === kind ? node.children : [node]));
  return { kind, children };
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const code = query.charCodeAt(i);
    if (isSpace(code)) {
      i++;
    } else if (code === 40 || code === 41) {
      tokens.push({ kind: code === 40 ? "(" : ")", text: query[i]!, start: i });
      i++;
    } else {
      const start = i;
      while (i < query.length) {
        const c = query.charCodeAt(i);
        if (isSpace(c) || c === 40 || c === 41) break;
        i++;
      }
      const text = query.slice(start, i);
      const upper = text.toUpperCase();
      tokens.push({ kind: upper === "AND" ? "and" : upper === "OR" ? "or" : "word", text, start });
    }
  }
  tokens.push({ kind: "end", text: "", start: query.length });
  return tokens;
}

function show(token: Token): string {
  if (token.kind === "end") return "the end of the query";
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return JSON.stringify(text);
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(
    private readonly query: string,
    private readonly option: string,
    private readonly checkWord: (word: string) => string | null,
  ) {
    this.tokens = tokenize(query);
  }

  parse(): ScopeNode {
    if (this.tokens.length === 1) throw this.error(0, "the query is empty");
    const node = this.parseOr();
    const extra = this.tokens[this.index]!;
    if (extra.kind === ")") throw this.error(extra.start, `unexpected ")" without a matching "("`);
    if (extra.kind !== "end") throw this.error(extra.start, `expected AND or OR before ${show(extra)}`);
    return node;
  }

  private parseOr(): ScopeNode {
    const nodes = [this.parseAnd()];
    while (this.tokens[this.index]!.kind === "or") {
      this.index++;
      nodes.push(this.parseAnd());
    }
    return joinNodes("or", nodes);
  }

  private parseAnd(): ScopeNode {
    const nodes = [this.parseTerm()];
    while (this.tokens[this.index]!.kind === "and") {
      this.index++;
      nodes.push(this.parseTerm());
    }
    return joinNodes("and", nodes);
  }

  private parseTerm(): ScopeNode {
    const token = this.tokens[this.index]!;
    if (token.kind === "word") {
      this.index++;
      const problem = this.checkWord(token.text);
      if (problem !== null) throw this.error(token.start, problem);
      return { kind: "scope", name: token.text };
    }
    if (token.kind === "(") {
      if (++this.depth > MAX_DEPTH)
        throw this.error(token.start, `parentheses nested deeper than ${MAX_DEPTH}`);
      this.index++;
      const inner = this.parseOr();
      const close = this.tokens[this.index]!;
      if (close.kind === "end") {
        throw this.error(close.start, `the "(" at position ${token.start + 1} is never closed`);
      }
      if (close.kind !== ")") throw this.error(close.start, `expected AND, OR or ")" before ${show(close)}`);
      this.index++;
      this.depth--;
      return inner;
    }
    const previous = this.tokens[this.index - 1];
    const after = previous === undefined ? "" : ` after ${show(previous)}`;
    throw this.error(token.start, `expected a scope or "("${after}, found ${show(token)}`);
  }

  private error(index: number, problem: string): TypeError {
    const echoed = this.query.replace(/\s/g, " ");
    return new TypeError(
      `keyward: option "${this.option}" is not a valid scope query: ${problem} (at position ${index + 1})\n` +
        `  ${echoed}\n  ${" ".repeat(index)}^`,
    );
  }
}
