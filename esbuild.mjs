// One esbuild context per target; `--watch` rebuilds, `--production` minifies.
// Type checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

/** Print errors in the shape of VS Code's $esbuild-watch problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** Runtime assets the server loads from next to its bundle. */
function copyAssets() {
  fs.mkdirSync('dist/python', { recursive: true });
  fs.copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
  fs.copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');
  // The collector's entry point and its package, without __pycache__.
  fs.rmSync('dist/python', { recursive: true, force: true });
  fs.cpSync('server/python', 'dist/python', { recursive: true, filter: (src) => !src.includes('__pycache__') });
  // CPython 3.14 in WebAssembly (server/cpython/wasm.ts): Pyodide's loader, runtime, standard library and lock file.
  fs.rmSync('dist/pyodide', { recursive: true, force: true });
  fs.mkdirSync('dist/pyodide');
  for (const file of ['pyodide.js', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'])
    fs.copyFileSync(`node_modules/pyodide/${file}`, `dist/pyodide/${file}`);
  // Panels load only from dist/webview (their localResourceRoots): the codicon font and our stylesheets.
  // Afresh: a source map left by a development build must not ship in the VSIX.
  fs.rmSync('dist/webview', { recursive: true, force: true });
  fs.mkdirSync('dist/webview', { recursive: true });
  fs.copyFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  fs.copyFileSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
  // Every page's base.css, and each page's own webview/<page>/<page>.css as dist/webview/<page>.css.
  fs.copyFileSync('webview/shared/base.css', 'dist/webview/base.css');
  for (const page of Object.keys(webviewPages)) fs.copyFileSync(`webview/${page}/${page}.css`, `dist/webview/${page}.css`);
  // uPlot's own stylesheet (its legend and cursor), for the runtime lab's charts.
  fs.copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uplot.css');
  fs.copyFileSync('node_modules/d3-flame-graph/dist/d3-flamegraph.css', 'dist/webview/flamegraph.css');
}

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
  // web-tree-sitter's ESM build needs import.meta.url, which a CJS bundle lacks; its CJS build does not.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

/** The panels' pages: webview/<page>/main.ts bundled as dist/webview/<page>.js, with webview/<page>/<page>.css beside it. */
const webviewPages = {
  pipeline: 'webview/pipeline/main.ts',
  bytecode: 'webview/bytecode/main.ts',
  gc: 'webview/gc/main.ts',
  imports: 'webview/imports/main.ts',
  objects: 'webview/objects/main.ts',
  mro: 'webview/mro/main.ts',
};

const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;

const targets = [
  { ...node, entryPoints: ['extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  {
    ...node,
    entryPoints: ['server/main.ts'],
    outfile: 'dist/server.js',
    define: { 'process.env.PYINTERNALS_VERSION': JSON.stringify(version) },
  },
  // The thread that runs CPython in WebAssembly (server/cpython/wasmWorker.ts starts it).
  { ...node, entryPoints: ['server/cpython/wasmThread.ts'], outfile: 'dist/wasmThread.js' },
  { ...node, entryPoints: ['server/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // One browser bundle per panel (webview/<panel>/main.ts), ES modules for the page's <script type="module">.
  {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    plugins: watch ? [problemMatcher] : [],
    entryPoints: webviewPages,
    outdir: 'dist/webview',
    // A library's own `import './x.css'` (d3-flame-graph's) would come out as <page>.css over the page's
    // stylesheet: the pages load library stylesheets from the copies above instead.
    loader: { '.css': 'empty' },
  },
];

if (withTests) {
  // Afresh: a test file deleted or renamed must not run on from an earlier build (mocha globs out/).
  fs.rmSync('out', { recursive: true, force: true });
  const tests = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        entry.name.endsWith('.test.ts') ||
        entry.name === 'bench.ts' ||
        entry.name.endsWith('.vstest.ts') ||
        full === path.join('test', 'electron', 'suite', 'index.ts') ||
        full === path.join('test', 'e2e', 'start.ts')
      )
        tests.push(full);
    }
  };
  walk('test');
  if (fs.existsSync('bench')) walk('bench');
  targets.push({
    ...node,
    entryPoints: tests,
    outdir: 'out',
    outbase: '.',
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
    sourcemap: true,
    minify: false,
  });
}

copyAssets();
const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync('dist/cli.js', 0o755);
}
