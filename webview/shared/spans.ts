/** Spans are [startLine, startChar, endLine, endChar] in LSP units, as the server sends them. */
import type { Span } from '../../protocol/pipeline';

/** `position` is inside `span`: from its start up to, not including, its end (an empty span holds its start). */
export function spanContains(span: Span, line: number, character: number): boolean {
  const afterStart = line > span[0] || (line === span[0] && character >= span[1]);
  const beforeEnd = line < span[2] || (line === span[2] && character < span[3]);
  const empty = span[0] === span[2] && span[1] === span[3];
  return afterStart && (beforeEnd || (empty && line === span[0] && character === span[1]));
}

export function spanEquals(a: Span, b: Span): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** "line:col–line:col", 1-based like the editor's status bar (columns in UTF-16 units, as the editor counts). */
export function spanLabel(span: Span): string {
  const start = `${span[0] + 1}:${span[1] + 1}`;
  return span[0] === span[2] ? `${start}–${span[3] + 1}` : `${start}–${span[2] + 1}:${span[3] + 1}`;
}

/** `outer` holds all of `inner` (both ends included). */
export function spanCovers(outer: Span, inner: Span): boolean {
  const startsBefore = outer[0] < inner[0] || (outer[0] === inner[0] && outer[1] <= inner[1]);
  const endsAfter = outer[2] > inner[2] || (outer[2] === inner[2] && outer[3] >= inner[3]);
  return startsBefore && endsAfter;
}
