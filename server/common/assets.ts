/**
 * Files the server needs at run time (the collector and the wasm grammars)
 * sit next to the bundle in dist/. Tests are bundled to out/test/ and use the
 * built dist/ of the same checkout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function assetsDir(): string {
  if (cached) return cached;
  // The bundle's own folder first, then a dist/ in each parent (tests live in out/test/<kind>/).
  const parents = [1, 2, 3].map((up) => path.resolve(__dirname, ...Array<string>(up).fill('..'), 'dist'));
  const candidates = [process.env.PYINTERNALS_ASSETS, __dirname, ...parents].filter((d): d is string => !!d);
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'python', 'collector.py')));
  if (!found) throw new Error(`Python Internals assets not found (looked in ${candidates.join(', ')}); run "npm run build".`);
  cached = found;
  return found;
}

export const collectorPath = (): string => path.join(assetsDir(), 'python', 'collector.py');
export const wasmPath = (name: string): string => path.join(assetsDir(), name);
export const runnerPath = (): string => path.join(assetsDir(), 'python', 'runner.py');
