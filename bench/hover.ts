/**
 * Hover latency through the real server over stdio, as an editor sees it:
 * a one-line edit, then a hover at once, in two files taking turns, every
 * setting at its default. Side by side: the same hovers with the MRO's
 * hover and lenses off, with the background precompile off, and what
 * spawn-per-request tools pay (`python -m dis FILE`).
 *
 * With defaults the client behaves as VS Code does with lenses on: after
 * each edit it asks for the document's code lenses (cancelling the request
 * it made for the version before), so the hover arrives while the server
 * has lenses (every class linearized) and, after a pause, MRO diagnostics
 * to compute. Those are background work and must not delay the hover.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CancellationTokenSource, CodeLensRequest } from 'vscode-languageserver-protocol';
import type { InterpreterInfo, PrecompiledParams, ServerSettings } from '../protocol';
import { hoverText, LspClient } from '../test/helpers/lspClient';
import type { Corpus } from './corpus';
import { ms, percentile, report, rng, summary } from './stats';

interface Step {
  /** 0-based line where a comment line is inserted (at a top-level statement's start). */
  editLine: number;
  hoverLine: number;
  hoverColumn: number;
}

/** Random hovers inside functions, each after a one-line edit at another top-level statement. */
export function plan(corpus: Corpus, count: number, seed: number): Step[] {
  const random = rng(seed);
  let targets = [...corpus.functionLines];
  let tops = [...corpus.topLevelStarts];
  const textLines = corpus.text.split('\n');
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const hoverLine = targets[Math.floor(random() * targets.length)]!;
    // The top-level statement holding the hover: the last start at or before it.
    const owner = tops.filter((t) => t <= hoverLine).pop();
    const others = tops.filter((t) => t !== owner);
    const editLine = others[Math.floor(random() * others.length)]!;
    const shift = (l: number) => (l >= editLine ? l + 1 : l);
    const shifted = shift(hoverLine);
    // Original text of the hovered line tells its indentation (lines only move).
    const original = textLines[hoverLine]!;
    steps.push({ editLine, hoverLine: shifted, hoverColumn: original.length - original.trimStart().length });
    targets = targets.map(shift);
    tops = tops.map(shift);
    textLines.splice(editLine, 0, `# edit ${i}`);
  }
  return steps;
}

interface HoverTimes {
  ms: number[];
  /** The background precompile after open, when on: waited for before the first hover. */
  precompiled?: PrecompiledParams;
  /** Hovers in a code object not hovered before in this run (the worker compiles its statement) … */
  first: number[];
  /** … and hovers in one hovered before (its compile and instructions are cached). */
  again: number[];
  misses: number;
  /** Lens requests answered (not cancelled by the next edit) during the run, and after it. */
  lensesAnswered: number;
  finalLenses?: number;
}

interface HoverOptions {
  /** Settings beyond the interpreter (defaults: none). */
  settings?: ServerSettings;
  /** Ask for code lenses after each edit, as VS Code does with lenses on. */
  lenses?: boolean;
}

/**
 * Hovers in several files, each in its own server, taking turns: step i in
 * the first file, then step i in the second, and so on. Whatever the machine
 * is doing meanwhile (these VMs are noisy) then weighs on every file alike,
 * and the ratio between files holds from run to run.
 *
 * With the precompile on (the default setting), each server compiles its
 * file's functions in the background after open; the hovers start once it
 * reports that done, as they would for someone who opens a file and starts
 * reading. Without it, each function's first hover compiles it.
 */
async function hoverLatencies(
  python: InterpreterInfo,
  runs: Array<{ corpus: Corpus; steps: Step[] }>,
  options: HoverOptions,
): Promise<HoverTimes[]> {
  interface Session {
    client: LspClient;
    uri: string;
    times: HoverTimes;
    seen: Set<string>;
    slowest: Array<[number, string]>;
    lens?: CancellationTokenSource;
  }
  const sessions: Session[] = [];
  const precompile = options.settings?.precompile?.enabled ?? true;
  const askLenses = (s: Session) => {
    // A newer version supersedes the lenses asked for the last one, as the editor cancels them.
    s.lens?.cancel();
    const source = new CancellationTokenSource();
    s.lens = source;
    s.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: s.uri } }, source.token).then(
      () => void s.times.lensesAnswered++,
      () => undefined,
    );
  };
  try {
    for (const { corpus } of runs) {
      const { client } = await LspClient.start({ interpreterPath: python.executable, ...options.settings });
      const uri = await client.open(corpus.file, corpus.text);
      const precompiled = precompile ? await client.precompiledFor(uri, 1) : undefined;
      // Warm-up: the worker starts and the first compile happens before timing.
      await client.hover(uri, corpus.functionLines[0]!, 8);
      const times: HoverTimes = { ms: [], first: [], again: [], misses: 0, lensesAnswered: 0, ...(precompiled ? { precompiled } : {}) };
      sessions.push({ client, uri, times, seen: new Set(), slowest: [] });
    }
    const count = Math.max(...runs.map((r) => r.steps.length));
    for (let i = 0; i < count; i++) {
      for (const [k, session] of sessions.entries()) {
        const { client, uri, times, seen, slowest } = session;
        const step = runs[k]!.steps[i];
        if (!step) continue;
        await client.change(uri, [
          { range: { start: { line: step.editLine, character: 0 }, end: { line: step.editLine, character: 0 } }, text: `# edit ${i}\n` },
        ]);
        if (options.lenses) askLenses(session);
        const t0 = performance.now();
        const hover = await client.hover(uri, step.hoverLine, step.hoverColumn);
        const t = performance.now() - t0;
        times.ms.push(t);
        if (!hoverText(hover).includes('python-bytecode')) times.misses++;
        const what = /`([^`\n]+)` · line/.exec(hoverText(hover))?.[1] ?? '?';
        (seen.has(what) ? times.again : times.first).push(t);
        seen.add(what);
        slowest.push([t, `hover at ${step.hoverLine + 1} (${what}) after an edit at ${step.editLine + 1}`]);
      }
    }
    if (options.lenses) {
      // The background work was only put off: the last version's lenses still come.
      for (const s of sessions) {
        const lenses = await s.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: s.uri } });
        s.times.finalLenses = lenses?.length ?? 0;
      }
    }
    if (process.env.PYINTERNALS_BENCH_VERBOSE) {
      for (const [k, { slowest }] of sessions.entries()) {
        console.log(`        slowest in ${path.basename(runs[k]!.corpus.file)} (${JSON.stringify(options)}):`);
        slowest.sort((a, b) => b[0] - a[0]);
        for (const [t, what] of slowest.slice(0, 8)) console.log(`        ${t.toFixed(1)} ms  ${what}`);
      }
    }
    return sessions.map((s) => s.times);
  } finally {
    for (const { client } of sessions) await client.stop();
  }
}

/** What spawn-per-request tools pay: `python -m dis FILE` on the same file, same steps. */
function baselineLatencies(python: InterpreterInfo, corpus: Corpus, steps: Step[]): number[] {
  const textLines = corpus.text.split('\n');
  const file = path.join(path.dirname(corpus.file), `baseline-${path.basename(corpus.file)}`);
  const times: number[] = [];
  for (const [i, step] of steps.entries()) {
    textLines.splice(step.editLine, 0, `# edit ${i}`);
    fs.writeFileSync(file, textLines.join('\n'));
    const t0 = performance.now();
    const r = cp.spawnSync(python.executable, ['-m', 'dis', file], { maxBuffer: 1 << 28, cwd: os.tmpdir() });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`python -m dis failed: ${r.stderr.toString().slice(0, 500)}`);
  }
  return times;
}

/** The size a corpus is named by: its line count in thousands (`18k`). */
export const sizeLabel = (corpus: Corpus) => `${Math.round(corpus.text.split('\n').length / 1000)}k`;

/** The MRO's hover and lenses off: the line kept for comparison with the defaults. */
const MRO_OFF: ServerSettings = { mro: { hover: false, codeLens: false } };

/** The hover lines of the bench, on a small and a large corpus; their numbers go into `results`. */
export async function hoverLines(
  python: InterpreterInfo,
  small: Corpus,
  large: Corpus,
  hovers: number,
  results: Record<string, unknown>,
): Promise<void> {
  const files = [
    { corpus: small, steps: plan(small, hovers, 42) },
    { corpus: large, steps: plan(large, hovers, 42) },
  ];
  const defaults = await hoverLatencies(python, files, { lenses: true });
  const mroOff = await hoverLatencies(python, files, { settings: MRO_OFF });
  const cold = await hoverLatencies(python, files, { settings: { precompile: { enabled: false } }, lenses: true });
  const p50s: number[] = [];
  for (const [k, { corpus, steps }] of files.entries()) {
    const label = sizeLabel(corpus);
    const n = corpus.text.split('\n').length;
    const ours = defaults[k]!;
    const o = summary(ours.ms);
    const off = summary(mroOff[k]!.ms);
    const c = summary(cold[k]!.ms);
    const b = summary(baselineLatencies(python, corpus, steps));
    p50s.push(o.p50);
    const pre = ours.precompiled!;
    const large = k === files.length - 1;
    report(`precompile after open (${label})`, `${pre.functions} functions in ${ms(pre.ms)}, in the background`);
    const line = `p50 ${ms(o.p50)} · p95 ${ms(o.p95)} · max ${ms(o.max)}`;
    if (large) report(`hover ${label} (${n} lines), defaults, ${o.n} hovers after edits`, line, 'p95 ≤ 5 ms', o.p95 <= 5);
    else report(`hover ${label} (${n} lines), defaults, ${o.n} hovers after edits`, line, 'p95 ≤ 10 ms', o.p95 <= 10);
    report(
      `  lenses asked after each edit (${label})`,
      `${ours.lensesAnswered} of ${o.n} answered before the next edit; ${ours.finalLenses} lenses after the last`,
    );
    report(`  MRO hover and lenses off (${label})`, `p50 ${ms(off.p50)} · p95 ${ms(off.p95)} · max ${ms(off.max)}`);
    report(`  precompile off (${label})`, `p50 ${ms(c.p50)} · p95 ${ms(c.p95)} · max ${ms(c.max)}`);
    report(`baseline: python -m dis per request (${label})`, `p50 ${ms(b.p50)} · p95 ${ms(b.p95)} · max ${ms(b.max)}`);
    const ratio = b.p50 / o.p95;
    if (large) report(`python -m dis p50 / our p95 (${label})`, `${ratio.toFixed(0)}×`, '≥ 100×', ratio >= 100);
    else report(`python -m dis p50 / our p95 (${label})`, `${ratio.toFixed(0)}×`, '≥ 30×', ratio >= 30);
    const misses = ours.misses + mroOff[k]!.misses + cold[k]!.misses;
    if (misses) report(`hovers without bytecode (${label})`, String(misses), '0', misses === 0);
    results[`hover_${large ? 'large' : 'small'}`] = {
      lines: n,
      ours: o,
      mroOff: off,
      precompile: pre,
      precompileOff: c,
      baseline: b,
      ratio,
      withoutBytecode: misses,
      lensesAnswered: ours.lensesAnswered,
    };
  }
  const [small1, large1] = files.map((f) => sizeLabel(f.corpus));
  const growth = p50s[1]! / p50s[0]!;
  report(`hover p50(${large1}) / p50(${small1}), defaults`, growth.toFixed(2), '≤ 1.25', growth <= 1.25);
  const offGrowth = percentile(mroOff[1]!.ms, 50) / percentile(mroOff[0]!.ms, 50);
  report(`  MRO off: p50(${large1}) / p50(${small1})`, offGrowth.toFixed(2));
  const coldGrowth = percentile(cold[1]!.ms, 50) / percentile(cold[0]!.ms, 50);
  report(`  precompile off: p50(${large1}) / p50(${small1})`, coldGrowth.toFixed(2));
  // Without the precompile, the same number of random hovers revisits the small
  // file's few functions far more often, and a revisit skips the compile.
  const split = cold.map((t) => ({ first: percentile(t.first, 50), again: percentile(t.again, 50), share: t.first.length / t.ms.length }));
  const [s1, s2] = split as [(typeof split)[0], (typeof split)[0]];
  report(
    `  precompile off: first hover in a function, p50 ${small1} · ${large1}`,
    `${ms(s1.first)} · ${ms(s2.first)} (${(s2.first / s1.first).toFixed(2)}×); ${(s1.share * 100).toFixed(0)}% · ${(s2.share * 100).toFixed(0)}% of hovers`,
  );
  report(
    `  precompile off: in a function hovered before, ${small1} · ${large1}`,
    `${ms(s1.again)} · ${ms(s2.again)} (${(s2.again / s1.again).toFixed(2)}×)`,
  );
  results.hover_growth = growth;
  results.hover_growth_mro_off = offGrowth;
  results.hover_growth_precompile_off = coldGrowth;
  results.hover_split = { small: s1, large: s2 };
}
