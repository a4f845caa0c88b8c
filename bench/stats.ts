/**
 * What every bench section shares: percentiles, a seeded random source (both
 * sides of a comparison see the same positions and edits) and the PASS/FAIL
 * lines that bench.ts prints and writes to bench/results.json.
 */

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Summary {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export function summary(values: number[]): Summary {
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values), n: values.length };
}

/** Deterministic positions and edits, so that both sides see the same ones. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

export interface Line {
  name: string;
  value: string;
  target?: string;
  pass?: boolean;
}

/** Every line printed so far, in order (bench.ts writes them to results.json). */
export const lines: Line[] = [];

export function report(name: string, value: string, target?: string, pass?: boolean): void {
  lines.push({ name, value, ...(target ? { target } : {}), ...(pass !== undefined ? { pass } : {}) });
  const verdict = pass === undefined ? '    ' : pass ? 'PASS' : 'FAIL';
  console.log(`${verdict}  ${name.padEnd(48)} ${value.padEnd(40)} ${target ? `target: ${target}` : ''}`);
}
