/**
 * `npm run bench`: hover latency through the real server over stdio, side by
 * side with what other tools do (spawn `python -m dis FILE` per request),
 * tree-sitter parse times, the AST panel (server answer, first paint and
 * cursor updates in headless Chromium, webview memory), server memory,
 * activation time and VSIX size.
 * Prints PASS / FAIL per target and writes bench/results.json.
 *
 *   PYINTERNALS_BENCH_PYTHON=/path/to/python3   (default: python3 on PATH, resolved)
 *   PYINTERNALS_BENCH_HOVERS=200                (hovers per file size)
 *   PYINTERNALS_BENCH_VERBOSE=1                 (list the slowest hovers)
 *   PYINTERNALS_BENCH_ONLY=hover                (only the hover lines; results.json untouched)
 *   PYINTERNALS_BENCH_ONLY=panel                (only the AST panel's lines; results.json untouched)
 *   PYINTERNALS_BENCH_ONLY=bytecode             (only the bytecode panel's lines; results.json untouched)
 *   PYINTERNALS_BENCH_ONLY=runtime              (only the runtime lab's lines; results.json untouched)
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { InterpreterInfo } from '../protocol';
import { ParsedDocument } from '../server/documents/documents';
import { resolveInterpreter } from '../server/cpython/interpreter';
import { createParser } from '../server/documents/parser';
import { LspClient } from '../test/helpers/lspClient';
import { repoRoot, tempDir } from '../test/helpers/pythons';
import { bytecodePanelTimes } from './bytecodePanel';
import { runtimeTimes } from './runtime';
import { mroTimes } from './mro';
import { panelTimes } from './panel';
import { buildCorpus, type Corpus } from './corpus';
import { hoverLines, plan, sizeLabel } from './hover';
import { lines, ms, report, rng, summary } from './stats';

// ---------------------------------------------------------------- parsing

interface ParseTimes {
  /** tree-sitter alone, the whole text in one parse. */
  full: number[];
  /** Opening a document: that parse, then the split into chunks (server/chunks.ts). */
  open: number[];
  chunks: number;
  /** Edit + reparse, as the server does on each didChange. */
  incremental: number[];
}

/**
 * Parse costs on the large corpus. Edits alternate between the hover loop's
 * (a comment line inserted before a top-level statement) and typing inside
 * code: a comment appended to a random non-blank line, which lands inside
 * functions and inside the corpus's largest classes (Decimal is 3,300 lines).
 */
async function parseTimes(corpus: Corpus, steps: ReturnType<typeof plan>, seed: number): Promise<ParseTimes> {
  const parser = await createParser();
  const uri = pathToFileURL(corpus.file).href;
  const full: number[] = [];
  const open: number[] = [];
  for (let i = 0; i < 10; i++) {
    let t0 = performance.now();
    parser.parse(corpus.text)!.delete();
    full.push(performance.now() - t0);
    t0 = performance.now();
    const doc = new ParsedDocument(parser, uri, 1, corpus.text);
    open.push(performance.now() - t0);
    doc.dispose();
  }
  const random = rng(seed);
  const doc = new ParsedDocument(parser, uri, 1, corpus.text);
  const chunks = doc.chunkCount;
  const incremental: number[] = [];
  for (const [i, step] of steps.entries()) {
    let change;
    if (i % 2 === 0) {
      change = {
        range: { start: { line: step.editLine, character: 0 }, end: { line: step.editLine, character: 0 } },
        text: `# edit ${i}\n`,
      };
    } else {
      let row = Math.floor(random() * doc.lineCount);
      while (!/\S/.test(doc.lineAt(row)) || doc.lineAt(row).endsWith('\\')) row = (row + 1) % doc.lineCount;
      const end = { line: row, character: doc.lineAt(row).length };
      change = { range: { start: end, end }, text: `  # edit ${i}` };
    }
    const t0 = performance.now();
    doc.update([change], i + 2);
    incremental.push(performance.now() - t0);
  }
  doc.dispose();
  return { full, open, chunks, incremental };
}

// ---------------------------------------------------------------- memory

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function serverRss(python: InterpreterInfo, files: string[]): Promise<{ server: number; workers: number }> {
  const { client } = await LspClient.start({ interpreterPath: python.executable });
  try {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const uri = await client.open(file, text);
      // Hover in each, so each one's compiled code is cached as in real use.
      const line = text.split('\n').findIndex((l) => /^\s+return\b/.test(l));
      await client.hover(uri, Math.max(0, line), 8);
    }
    // Let diagnostics (a whole-file check per file) finish.
    await new Promise((r) => setTimeout(r, 1500));
    const workers = client.childPids().reduce((sum, pid) => sum + rssMb(pid), 0);
    return { server: rssMb(client.process.pid!), workers };
  } finally {
    await client.stop();
  }
}

// ---------------------------------------------------------------- the AST panel

async function panelLines(python: InterpreterInfo, large: Corpus, results: Record<string, unknown>): Promise<void> {
  const panel = await panelTimes(python, large.file, large.text, Number(process.env.PYINTERNALS_BENCH_PANEL_REPEATS ?? 8), 200, rng(5));
  const nLarge = large.text.split('\n').length;
  report(`AST panel: first AST of the file after open (${nLarge} lines, every chunk parsed)`, ms(panel.firstAst));
  for (const [stage, times] of Object.entries(panel.server)) {
    const t = summary(times);
    const isAst = stage === 'ast';
    report(
      `AST panel: ${stage} request after an edit → data ready`,
      `p50 ${ms(t.p50)} · p95 ${ms(t.p95)}`,
      isAst ? 'p50 ≤ 300 ms' : undefined,
      isAst ? t.p50 <= 300 : undefined,
    );
  }
  const paint = summary(panel.paint);
  const data = summary(panel.data);
  report(
    `AST panel: request → first paint in Chromium (${panel.nodes} nodes)`,
    `p50 ${ms(paint.p50)} · p95 ${ms(paint.p95)} (data in: p50 ${ms(data.p50)})`,
    'p50 ≤ 500 ms',
    paint.p50 <= 500,
  );
  const cursor = summary(panel.cursor);
  report(
    'AST panel: cursor move → marked node painted',
    `p50 ${ms(cursor.p50)} · p95 ${ms(cursor.p95)} · max ${ms(cursor.max)}`,
    'p95 ≤ 50 ms',
    cursor.p95 <= 50,
  );
  report(
    'AST panel: rows in the DOM · page JS heap',
    `${panel.domRows} rows · ${panel.heapMb.toFixed(0)} MB`,
    '≤ 200 rows',
    panel.domRows <= 200,
  );
  results.panel = {
    ...panel,
    serverSummary: Object.fromEntries(Object.entries(panel.server).map(([k, v]) => [k, summary(v)])),
    paintSummary: paint,
    dataSummary: data,
    cursorSummary: cursor,
  };
}

// ---------------------------------------------------------------- the static MRO

async function mroLines(python: InterpreterInfo, large: Corpus, results: Record<string, unknown>): Promise<void> {
  const t = await mroTimes(
    python,
    large.file,
    large.text,
    Number(process.env.PYINTERNALS_BENCH_MRO_EDITS ?? 60),
    rng(13),
    large.topLevelStarts,
  );
  const edit = summary(t.afterEdit);
  const base = summary(t.afterBaseEdit);
  report(`MRO: code lenses after open (${t.classes} classes, every chunk read)`, ms(t.open));
  report(
    `MRO: edit → every class linearized, lenses answered (${sizeLabel(large)})`,
    `p50 ${ms(edit.p50)} · p95 ${ms(edit.p95)} · max ${ms(edit.max)}`,
    'p95 ≤ 50 ms',
    edit.p95 <= 50,
  );
  report(
    `MRO: a base changed → lenses answered (${sizeLabel(large)})`,
    `p50 ${ms(base.p50)} · p95 ${ms(base.p95)} · max ${ms(base.max)}`,
    'p95 ≤ 50 ms',
    base.p95 <= 50,
  );
  results.mro = { classes: t.classes, open: t.open, afterEdit: edit, afterBaseEdit: base };
}

// ---------------------------------------------------------------- the bytecode panel

async function bytecodePanelLines(python: InterpreterInfo, large: Corpus, results: Record<string, unknown>): Promise<void> {
  const t = await bytecodePanelTimes(python, large.file, large.text, Number(process.env.PYINTERNALS_BENCH_PANEL_REPEATS ?? 8), 200, rng(9));
  const tree = summary(t.tree);
  const largest = summary(t.largest);
  const cursor = summary(t.cursor);
  const cfg = summary(t.cfg);
  report(
    `bytecode panel: code objects after an edit (${t.codeObjects})`,
    `p50 ${ms(tree.p50)} · p95 ${ms(tree.p95)} (the whole file compiled)`,
  );
  report(
    `bytecode panel: largest function's data (${t.largestName}, ${t.largestInstructions} instr.)`,
    `p50 ${ms(largest.p50)} · p95 ${ms(largest.p95)}`,
    'p50 ≤ 100 ms',
    largest.p50 <= 100,
  );
  report(
    'bytecode panel: cursor move → instructions marked',
    `p50 ${ms(cursor.p50)} · p95 ${ms(cursor.p95)} · max ${ms(cursor.max)}`,
    'p95 ≤ 50 ms',
    cursor.p95 <= 50,
  );
  report(
    `bytecode panel: CFG layout of that function (${t.blocks} blocks)`,
    `first ${ms(t.cfg[0] ?? 0)} (loads Graphviz) · then ${ms(t.cfg[1] ?? 0)}`,
    'first ≤ 500 ms',
    (t.cfg[0] ?? Infinity) <= 500,
  );
  report('bytecode panel: rows in the DOM', `${t.domRows} rows`, '≤ 200 rows', t.domRows <= 200);
  results.bytecodePanel = { ...t, treeSummary: tree, largestSummary: largest, cursorSummary: cursor, cfgSummary: cfg };
}

// ---------------------------------------------------------------- the runtime lab

async function runtimeLines(python: InterpreterInfo, dir: string, results: Record<string, unknown>): Promise<void> {
  const t = await runtimeTimes(python, dir, Number(process.env.PYINTERNALS_BENCH_RUNTIME_REPEATS ?? 5));
  const plain = summary(t.plain);
  const gc = summary(t.gc);
  const ratio = gc.p50 / plain.p50;
  report('runtime: python file.py, plain (600k objects in cycles)', `p50 ${ms(plain.p50)} · p95 ${ms(plain.p95)}`);
  report('runtime: the same under the GC report', `p50 ${ms(gc.p50)} · p95 ${ms(gc.p95)}`);
  report('runtime: GC report / plain, p50', `${ratio.toFixed(2)}×`, '≤ 1.3×', ratio <= 1.3);
  const ip = summary(t.importsPlain);
  const it = summary(t.imports);
  const importRatio = it.p50 / ip.p50;
  report('runtime: python file.py, plain (a dozen packages imported)', `p50 ${ms(ip.p50)} · p95 ${ms(ip.p95)}`);
  report('runtime: one run of the import trace', `p50 ${ms(it.p50)} · p95 ${ms(it.p95)}`);
  report('runtime: import trace run / plain, p50', `${importRatio.toFixed(2)}×`, '≤ 1.2×', importRatio <= 1.2);
  const chart = summary(t.firstChart);
  report('runtime: GC Report request → report painted', `p50 ${ms(chart.p50)} · p95 ${ms(chart.p95)}`);
  results.runtime = {
    ...t,
    plainSummary: plain,
    gcSummary: gc,
    ratio,
    importsPlainSummary: ip,
    importsSummary: it,
    importRatio,
    firstChartSummary: chart,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const hovers = Number(process.env.PYINTERNALS_BENCH_HOVERS ?? 200);
  const resolution = await resolveInterpreter({ interpreterPath: process.env.PYINTERNALS_BENCH_PYTHON ?? '' });
  if (!resolution.interpreter) throw new Error(resolution.error);
  const python = resolution.interpreter;
  const dir = tempDir('bench');
  console.log(
    `Python Internals benchmark · CPython ${python.versionText} (${python.executable}) · node ${process.version} · ${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}\n`,
  );

  const small = buildCorpus(python, ['textwrap', 'shlex', 'colorsys', 'bisect', 'keyword', 'heapq'], 1000, dir, 'corpus-1k.py');
  const large = buildCorpus(
    python,
    ['typing', 'inspect', 'argparse', '_pydecimal', 'subprocess', 'enum', 'pathlib', 'dataclasses'],
    16000,
    dir,
    'corpus-large.py',
  );
  const results: Record<string, unknown> = { interpreter: python.versionText, hovers };
  if (process.env.PYINTERNALS_BENCH_ONLY === 'panel') {
    await panelLines(python, large, results);
    return;
  }
  if (process.env.PYINTERNALS_BENCH_ONLY === 'bytecode') {
    await bytecodePanelLines(python, large, results);
    await runtimeLines(python, dir, results);
    return;
  }
  if (process.env.PYINTERNALS_BENCH_ONLY === 'mro') {
    await mroLines(python, large, results);
    return;
  }
  if (process.env.PYINTERNALS_BENCH_ONLY === 'runtime') {
    await runtimeLines(python, dir, results);
    return;
  }
  await hoverLines(python, small, large, hovers, results);
  if (process.env.PYINTERNALS_BENCH_ONLY === 'hover') return;

  const parse = await parseTimes(large, plan(large, hovers, 7), 11);
  const full = summary(parse.full);
  const open = summary(parse.open);
  const inc = summary(parse.incremental);
  report(`tree-sitter full parse (${sizeLabel(large)})`, `p50 ${ms(full.p50)} · p95 ${ms(full.p95)}`);
  report(`open: parse + split into ${parse.chunks} chunks (${sizeLabel(large)})`, `p50 ${ms(open.p50)} · p95 ${ms(open.p95)}`);
  report(
    `tree-sitter edit + incremental reparse (${sizeLabel(large)})`,
    `p50 ${ms(inc.p50)} · p95 ${ms(inc.p95)} · max ${ms(inc.max)}`,
    'p95 ≤ 8 ms',
    inc.p95 <= 8,
  );
  results.parse = { full, open, chunks: parse.chunks, incremental: inc };

  await panelLines(python, large, results);
  await bytecodePanelLines(python, large, results);
  await mroLines(python, large, results);
  await runtimeLines(python, dir, results);

  const stdlib = path.dirname(
    cp.execFileSync(python.executable, ['-I', '-c', 'import os; print(os.__file__)'], { encoding: 'utf8' }).trim(),
  );
  const twenty = fs
    .readdirSync(stdlib)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .slice(0, 20)
    .map((f) => path.join(stdlib, f));
  const rss = await serverRss(python, twenty);
  report(
    'server RSS after opening 20 files',
    `${rss.server.toFixed(0)} MB (CPython worker: ${rss.workers.toFixed(0)} MB)`,
    '≤ 150 MB',
    rss.server <= 150,
  );
  results.rss_mb = rss;

  const activationFile = path.join(repoRoot, 'test-results', 'e2e', 'activation.json');
  if (fs.existsSync(activationFile)) {
    const activation = JSON.parse(fs.readFileSync(activationFile, 'utf8')) as { ms: number; measuredAt: string };
    report('extension activation (end-to-end suite)', `${activation.ms.toFixed(0)} ms (code-server, ${activation.measuredAt})`);
    results.activation = activation;
  } else {
    report('extension activation', 'not measured: run npm run test:e2e first');
  }

  const vsix = path.join(repoRoot, 'python-internals.vsix');
  const size = fs.statSync(vsix).size / (1024 * 1024);
  // Issue 19: the VSIX carries CPython 3.14 in WebAssembly (Pyodide's runtime and standard library, ~6 MB).
  report('VSIX size', `${size.toFixed(2)} MB`, '≤ 15 MB', size <= 15);
  results.vsix_mb = size;

  const failed = lines.filter((l) => l.pass === false);
  console.log(`\n${failed.length === 0 ? 'All targets pass.' : `${failed.length} target(s) missed.`}`);
  results.lines = lines;
  results.machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
  results.at = new Date().toISOString();
  fs.writeFileSync(path.join(repoRoot, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 2;
});
