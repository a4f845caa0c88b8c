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

const OPENERS = '([{';
const CLOSERS = ')]}';

export function opennessAtEnd(text: string, start = 0, end = text.length): Openness {
  const stack: Mode[] = [{ kind: 'code', depth: 0 }];
  let continued = false;
  let i = start;
  while (i < end) {
    const mode = stack[stack.length - 1]!;
    const c = text[i]!;
    if (mode.kind === 'string') {
      if (c === '\\') {
        // Escapes (and, in raw strings, a backslash before a quote) never end the string.
        i += text.startsWith('\r\n', i + 1) ? 3 : 2;
      } else if (mode.formatted && (c === '{' || c === '}')) {
        if (text[i + 1] === c) i += 2;
        else {
          if (c === '{') stack.push({ kind: 'code', depth: 0 });
          i++;
        }
      } else if (text.startsWith(mode.quote, i)) {
        stack.pop();
        i += mode.quote.length;
      } else if (!mode.triple && (c === '\n' || c === '\r')) {
        // An unterminated one-line string ends at the line break (a syntax error, not an open string).
        stack.pop();
        i++;
      } else {
        i++;
      }
      continue;
    }
    if (mode.kind === 'spec') {
      if (c === '{') {
        stack.push({ kind: 'code', depth: 0 });
      } else if (c === '}') {
        stack.pop(); // the spec
        stack.pop(); // its field
      }
      i++;
      continue;
    }
    // Code, at top level or inside a replacement field.
    if (c === '#') {
      while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      continued = true;
      i += text.startsWith('\r\n', i + 1) ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    continued = false;
    const field = stack.length > 1;
    if (OPENERS.includes(c)) {
      mode.depth++;
    } else if (CLOSERS.includes(c)) {
      if (mode.depth > 0) mode.depth--;
      else if (field && c === '}') stack.pop();
      // An unmatched closer at top level is an error, not an open bracket.
    } else if (c === ':' && field && mode.depth === 0) {
      stack.push({ kind: 'spec' });
    } else if (c === '"' || c === "'") {
      const prefix = stringPrefix(text, i, start);
      const triple = text.startsWith(c.repeat(3), i);
      stack.push({ kind: 'string', quote: triple ? c.repeat(3) : c, triple, formatted: /[fFtT]/.test(prefix) });
      i += triple ? 3 : 1;
      continue;
    }
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
