/**
 * What Python's tokenizer would still have open at the end of a piece of
 * source read from a clean start: a string, a bracket, or a backslash
 * continuation. chunks.ts asks this of a chunk to know whether the next chunk
 * really starts a statement; tree-sitter cannot say, because its error
 * recovery often closes an unterminated string or bracket early and parses on.
 *
 * Follows the tokenizer of 3.8–3.14: string prefixes (r, b, u, f, t and their
 * mixes), triple quotes, backslash escapes, comments, and f-strings whose
 * replacement fields nest brackets and strings of their own (PEP 701).
 */

export type Openness = 'string' | 'bracket' | 'continuation' | null;

interface CodeMode {
  kind: 'code';
  depth: number;
}

interface StringMode {
  kind: 'string';
  quote: string;
  triple: boolean;
  /** An f-string or t-string: `{` opens a replacement field. */
  formatted: boolean;
}

/** The format spec after `:` in a replacement field: literal text that may hold nested fields. */
interface SpecMode {
  kind: 'spec';
}

type Mode = CodeMode | StringMode | SpecMode;

const HASH = 35;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACE = 123;
const RBRACE = 125;
const COLON = 58;

export function opennessAtEnd(text: string, start = 0, end = text.length): Openness {
  const stack: Mode[] = [{ kind: 'code', depth: 0 }];
  let continued = false;
  let i = start;
  // A hot loop over whole chunks on every edit: char codes, no allocations.
  while (i < end) {
    const mode = stack[stack.length - 1]!;
    const c = text.charCodeAt(i);
    if (mode.kind === 'string') {
      if (c === BACKSLASH) {
        // Escapes (and, in raw strings, a backslash before a quote) never end the string.
        i += text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === LF ? 3 : 2;
      } else if (mode.formatted && (c === LBRACE || c === RBRACE)) {
        if (text.charCodeAt(i + 1) === c) i += 2;
        else {
          if (c === LBRACE) stack.push({ kind: 'code', depth: 0 });
          i++;
        }
      } else if ((c === DQUOTE || c === SQUOTE) && text.startsWith(mode.quote, i)) {
        stack.pop();
        i += mode.quote.length;
      } else if (!mode.triple && (c === LF || c === CR)) {
        // An unterminated one-line string ends at the line break (a syntax error, not an open string).
        stack.pop();
        i++;
      } else {
        i++;
      }
      continue;
    }
    if (mode.kind === 'spec') {
      if (c === LBRACE) {
        stack.push({ kind: 'code', depth: 0 });
      } else if (c === RBRACE) {
        stack.pop(); // the spec
        stack.pop(); // its field
      }
      i++;
      continue;
    }
    // Code, at top level or inside a replacement field.
    switch (c) {
      case HASH:
        while (i < end && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        continue;
      case BACKSLASH: {
        const next = text.charCodeAt(i + 1);
        if (next === LF || next === CR) {
          continued = true;
          i += next === CR && text.charCodeAt(i + 2) === LF ? 3 : 2;
          continue;
        }
        break;
      }
      case 32: // spaces leave a continuation pending
      case 9:
      case 12:
        i++;
        continue;
      case LF: // a line break after it ends the logical line (the continuation joined an empty line)
      case CR:
        continued = false;
        i++;
        continue;
      case 40: // ( [ {
      case 91:
      case LBRACE:
        mode.depth++;
        break;
      case 41: // ) ] }
      case 93:
      case RBRACE:
        if (mode.depth > 0) mode.depth--;
        else if (stack.length > 1 && c === RBRACE) stack.pop();
        // An unmatched closer at top level is an error, not an open bracket.
        break;
      case COLON:
        if (stack.length > 1 && mode.depth === 0) stack.push({ kind: 'spec' });
        break;
      case DQUOTE:
      case SQUOTE: {
        const q = text[i]!;
        const prefix = stringPrefix(text, i, start);
        const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
        stack.push({ kind: 'string', quote: triple ? q + q + q : q, triple, formatted: /[fFtT]/.test(prefix) });
        continued = false;
        i += triple ? 3 : 1;
        continue;
      }
    }
    continued = false;
    i++;
  }
  if (stack.length > 1) return stack.some((m) => m.kind === 'string') ? 'string' : 'bracket';
  if ((stack[0] as CodeMode).depth > 0) return 'bracket';
  return continued ? 'continuation' : null;
}

/** The letters just before a quote, if they form a string prefix (and not the end of a name). */
function stringPrefix(text: string, quote: number, start: number): string {
  let j = quote;
  while (j > start && j > quote - 2 && /[a-zA-Z]/.test(text[j - 1]!)) j--;
  const prefix = text.slice(j, quote);
  if (j > start && /[\w]/.test(text[j - 1]!)) return '';
  return /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])?$/.test(prefix) ? prefix : '';
}
