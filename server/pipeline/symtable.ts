/** symtable's scopes (UTF-8 columns, 1-based lines) with LSP spans. */
import type { RawRange, RawScope, ScopeInfo, Span, SymtableResult } from '../../protocol';
import type { PositionMapper } from '../documents/positions';

export function scopeInfo(raw: SymtableResult, positions: PositionMapper): ScopeInfo {
  return scope(raw.module, positions);
}

function scope(raw: RawScope, positions: PositionMapper): ScopeInfo {
  for (const symbol of raw.symbols) {
    // A large module has tens of thousands of occurrences: converted in place (a range and a span have one shape).
    let kept = 0;
    for (const range of symbol.occurrences) {
      positions.spanInto(range, 0, range[0], range[1], range[2], range[3], 'utf8');
      if (range[0] >= 0) symbol.occurrences[kept++] = range;
    }
    symbol.occurrences.length = kept;
  }
  return {
    type: raw.type,
    name: raw.name,
    line: Math.max(0, raw.line - 1),
    span: raw.range ? span(raw.range, positions) : null,
    symbols: raw.symbols,
    children: raw.children.map((child) => scope(child, positions)),
  };
}

function span(range: RawRange, positions: PositionMapper): Span | null {
  return positions.span(range[0], range[1], range[2], range[3], 'utf8');
}
