/**
 * Graphviz's dot in WebAssembly (@hpcc-js/wasm-graphviz), loaded once per
 * page, the first time a graph is drawn. Pages that use it get
 * 'wasm-unsafe-eval' in their CSP (extension/panels/html.ts).
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let loading: Promise<Graphviz> | undefined;

export function graphviz(): Promise<Graphviz> {
  loading ??= Graphviz.load();
  return loading;
}

/** Text inside a DOT double-quoted string: backslashes and quotes escaped (so `\l` and friends stay literal). */
export function dotEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
