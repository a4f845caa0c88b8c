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
import type { InterpreterInfo, PrecompiledParams } from '../protocol';
import { ParsedDocument } from '../server/documents/documents';
import { resolveInterpreter } from '../server/cpython/interpreter';
import { createParser } from '../server/documents/parser';
import { hoverText, LspClient } from '../test/helpers/lspClient';
import { repoRoot, tempDir } from '../test/helpers/pythons';
import { bytecodePanelTimes } from './bytecodePanel';
import { runtimeTimes } from './runtime';
import { mroTimes } from './mro';
import { panelTimes } from './panel';

// ---------------------------------------------------------------- statistics

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(values: number[]): { p50: number; p95: number; max: number; n: number } {
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values), n: values.length };
}

/** Deterministic positions and edits, so that both sides see the same ones. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

interface Line {
  name: string;
  value: string;
  target?: string;
  pass?: boolean;
}
const lines: Line[] = [];
function report(name: string, value: string, target?: string, pass?: boolean): void {
  lines.push({ name, value, ...(target ? { target } : {}), ...(pass !== undefined ? { pass } : {}) });
  const verdict = pass === undefined ? '    ' : pass ? 'PASS' : 'FAIL';
  console.log(`${verdict}  ${name.padEnd(44)} ${value.padEnd(40)} ${target ? `target: ${target}` : ''}`);
}

// ---------------------------------------------------------------- corpus

interface Corpus {
  file: string;
  text: string;
  /** 0-based lines of statements inside function bodies. */
  functionLines: number[];
  /** 0-based first line (first decorator) of every top-level statement. */
  topLevelStarts: number[];
}

/** Concatenate standard-library modules (their `from __future__` lines dropped) to about `targetLines`. */
function buildCorpus(python: InterpreterInfo, modules: string[], targetLines: number, dir: string, name: string): Corpus {
  const script = String.raw`
import ast, dis, json, sys, sysconfig, os
stdlib = sysconfig.get_paths()["stdlib"]
mods, target = json.loads(sys.argv[1]), int(sys.argv[2])
parts, count = [], 0
for m in mods:
    with open(os.path.join(stdlib, m + ".py"), encoding="utf-8") as f:
        text = "".join(l for l in f if not l.startswith("from __future__"))
    parts.append("# ---- " + m + ".py\n" + text)
    count += text.count("\n") + 1
    if count >= target:
        break
source = "\n".join(parts)
tree = ast.parse(source)
fn_lines, tops = set(), []
for node in tree.body:
    tops.append(min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1)
# Lines that have instructions in a function's own code object (not a class body or the module).
def visit(code):
    if code.co_flags & 0x1:
        for instr in dis.get_instructions(code):
            line = getattr(instr, "line_number", None) if sys.version_info >= (3, 13) else (instr.positions.lineno if sys.version_info >= (3, 11) else instr.starts_line)
            if line:
                fn_lines.add(line - 1)
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            visit(const)
visit(compile(source, "corpus.py", "exec"))
# A function's header line belongs to its parent's scope in the hover; keep body lines.
fn_lines -= set(n.lineno - 1 for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)))
print(json.dumps({"source": source, "functionLines": sorted(fn_lines), "tops": tops}))
`;
  const out = cp.execFileSync(python.executable, ['-I', '-c', script, JSON.stringify(modules), String(targetLines)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const parsed = JSON.parse(out) as { source: string; functionLines: number[]; tops: number[] };
  const file = path.join(dir, name);
  fs.writeFileSync(file, parsed.source);
  return { file, text: parsed.source, functionLines: parsed.functionLines, topLevelStarts: parsed.tops };
}

// ---------------------------------------------------------------- hover runs

interface Step {
  /** 0-based line where a comment line is inserted (at a top-level statement's start). */
  editLine: number;
  hoverLine: number;
  hoverColumn: number;
}

/** Random hovers inside functions, each after a one-line edit at another top-level statement. */
function plan(corpus: Corpus, count: number, seed: number): Step[] {
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
}

/**
 * Hovers in several files, each in its own server, taking turns: step i in
 * the first file, then step i in the second, and so on. Whatever the machine
 * is doing meanwhile (these VMs are noisy) then weighs on every file alike,
 * and the ratio between files holds from run to run.
 *
 * With `precompile` (the default setting), each server compiles its file's
 * functions in the background after open; the hovers start once it reports
 * that done, as they would for someone who opens a file and starts reading.
 * Without it, each function's first hover compiles it.
 */
async function hoverLatencies(
  python: InterpreterInfo,
  runs: Array<{ corpus: Corpus; steps: Step[] }>,
  precompile: boolean,
): Promise<HoverTimes[]> {
  const sessions: Array<{ client: LspClient; uri: string; times: HoverTimes; seen: Set<string>; slowest: Array<[number, string]> }> = [];
  try {
    for (const { corpus } of runs) {
      const { client } = await LspClient.start({ interpreterPath: python.executable, precompile: { enabled: precompile } });
      const uri = await client.open(corpus.file, corpus.text);
      const precompiled = precompile ? await client.precompiledFor(uri, 1) : undefined;
      // Warm-up: the worker starts and the first compile happens before timing.
      await client.hover(uri, corpus.functionLines[0]!, 8);
      const times: HoverTimes = { ms: [], first: [], again: [], misses: 0, ...(precompiled ? { precompiled } : {}) };
      sessions.push({ client, uri, times, seen: new Set(), slowest: [] });
    }
    const count = Math.max(...runs.map((r) => r.steps.length));
    for (let i = 0; i < count; i++) {
      for (const [k, { client, uri, times, seen, slowest }] of sessions.entries()) {
        const step = runs[k]!.steps[i];
        if (!step) continue;
        await client.change(uri, [
          { range: { start: { line: step.editLine, character: 0 }, end: { line: step.editLine, character: 0 } }, text: `# edit ${i}\n` },
        ]);
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
    if (process.env.PYINTERNALS_BENCH_VERBOSE) {
      for (const [k, { slowest }] of sessions.entries()) {
        console.log(`        slowest in ${path.basename(runs[k]!.corpus.file)}${precompile ? '' : ', precompile off'}:`);
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
async function parseTimes(corpus: Corpus, steps: Step[], seed: number): Promise<ParseTimes> {
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
    'MRO: edit → every class linearized, lenses answered (16k)',
    `p50 ${ms(edit.p50)} · p95 ${ms(edit.p95)} · max ${ms(edit.max)}`,
    'p95 ≤ 50 ms',
    edit.p95 <= 50,
  );
  report(
    'MRO: a base changed → lenses answered (16k)',
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
    'corpus-16k.py',
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
  const p50s: number[] = [];
  const split: Array<{ first: number; again: number; share: number }> = [];
  const files = [
    { label: '1k', corpus: small, steps: plan(small, hovers, 42) },
    { label: '16k', corpus: large, steps: plan(large, hovers, 42) },
  ];
  const warm = await hoverLatencies(python, files, true);
  const cold = await hoverLatencies(python, files, false);
  for (const [k, { label, corpus, steps }] of files.entries()) {
    const n = corpus.text.split('\n').length;
    const ours = warm[k]!;
    const off = cold[k]!;
    const base = baselineLatencies(python, corpus, steps);
    const o = summary(ours.ms);
    const c = summary(off.ms);
    const b = summary(base);
    p50s.push(o.p50);
    split.push({ first: percentile(off.first, 50), again: percentile(off.again, 50), share: off.first.length / off.ms.length });
    const ratio = b.p50 / o.p50;
    const pre = ours.precompiled!;
    report(`precompile after open (${label})`, `${pre.functions} functions in ${ms(pre.ms)}, in the background`);
    report(
      `hover ${label} (${n} lines), ${o.n} hovers after edits`,
      `p50 ${ms(o.p50)} · p95 ${ms(o.p95)} · max ${ms(o.max)}`,
      'p95 ≤ 10 ms',
      o.p95 <= 10,
    );
    report(`  precompile off (${label})`, `p50 ${ms(c.p50)} · p95 ${ms(c.p95)} · max ${ms(c.max)}`);
    report(`baseline: python -m dis per request (${label})`, `p50 ${ms(b.p50)} · p95 ${ms(b.p95)} · max ${ms(b.max)}`);
    report(`baseline / ours, p50 (${label})`, `${ratio.toFixed(0)}×`, '≥ 30×', ratio >= 30);
    const misses = ours.misses + off.misses;
    if (misses) report(`hovers without bytecode (${label})`, String(misses), '0', misses === 0);
    results[`hover_${label}`] = { lines: n, ours: o, precompile: pre, precompileOff: c, baseline: b, ratio, withoutBytecode: misses };
  }
  const growth = p50s[1]! / p50s[0]!;
  report('hover p50(16k) / p50(1k)', growth.toFixed(2), '≤ 1.5', growth <= 1.5);
  const coldGrowth = percentile(cold[1]!.ms, 50) / percentile(cold[0]!.ms, 50);
  report('  precompile off: p50(16k) / p50(1k)', coldGrowth.toFixed(2));
  // Without the precompile, the same number of random hovers revisits the 1k
  // file's few functions far more often, and a revisit skips the compile.
  const [s1, s16] = split as [(typeof split)[0], (typeof split)[0]];
  report(
    '  precompile off: first hover in a function, p50 1k · 16k',
    `${ms(s1.first)} · ${ms(s16.first)} (${(s16.first / s1.first).toFixed(2)}×); ${(s1.share * 100).toFixed(0)}% · ${(s16.share * 100).toFixed(0)}% of hovers`,
  );
  report(
    '  precompile off: in a function hovered before, 1k · 16k',
    `${ms(s1.again)} · ${ms(s16.again)} (${(s16.again / s1.again).toFixed(2)}×)`,
  );
  results.hover_growth = growth;
  results.hover_growth_precompile_off = coldGrowth;
  results.hover_split = { '1k': s1, '16k': s16 };

  const parse = await parseTimes(large, plan(large, hovers, 7), 11);
  const full = summary(parse.full);
  const open = summary(parse.open);
  const inc = summary(parse.incremental);
  report('tree-sitter full parse (16k)', `p50 ${ms(full.p50)} · p95 ${ms(full.p95)}`);
  report(`open: parse + split into ${parse.chunks} chunks (16k)`, `p50 ${ms(open.p50)} · p95 ${ms(open.p95)}`);
  report(
    'tree-sitter edit + incremental reparse (16k)',
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
  report('VSIX size', `${size.toFixed(2)} MB`, '≤ 5 MB', size <= 5);
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
