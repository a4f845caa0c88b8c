/**
 * Every panel the extension opens, as data (GitLens's webviewDescriptors.ts
 * in spirit): its view type, its page's bundle and stylesheets in
 * dist/webview, its tab's title, and whether the page compiles WebAssembly.
 * The registry (registry.ts) makes, keeps and revives panels from this table
 * and names the class that serves each kind; the webview test harness
 * (test/webview/harness.ts) builds its pages from it. So it imports nothing,
 * `vscode` least of all.
 */

export type PanelKind = 'pipeline' | 'bytecode' | 'mro' | 'gc' | 'imports' | 'objects';

export interface PanelDescriptor {
  /** The webview panel's type: package.json's `onWebviewPanel:<viewType>` activates the extension to revive it. */
  readonly viewType: string;
  /** The page's script in dist/webview. */
  readonly bundle: string;
  /** The tab's title, before the file's name ("AST · shapes.py"). */
  readonly title: string;
  /** The page compiles WebAssembly (Graphviz), which CSP allows only with 'wasm-unsafe-eval' (not eval itself). */
  readonly wasm: boolean;
  /**
   * The stylesheets the page loads from dist/webview, in order: a chart library's, then
   * base.css (webview/shared/) and the page's own (webview/<page>/<page>.css; esbuild.mjs copies them).
   */
  readonly styles: readonly string[];
}

export const PANELS: { readonly [K in PanelKind]: PanelDescriptor } = {
  pipeline: {
    viewType: 'pythonInternals.astPanel',
    bundle: 'pipeline.js',
    title: 'AST',
    wasm: false,
    styles: ['base.css', 'pipeline.css'],
  },
  bytecode: {
    viewType: 'pythonInternals.bytecodePanel',
    bundle: 'bytecode.js',
    title: 'Bytecode',
    wasm: true,
    styles: ['base.css', 'bytecode.css'],
  },
  mro: { viewType: 'pythonInternals.mroPanel', bundle: 'mro.js', title: 'MRO', wasm: true, styles: ['base.css', 'mro.css'] },
  gc: { viewType: 'pythonInternals.gcPanel', bundle: 'gc.js', title: 'GC Report', wasm: true, styles: ['uplot.css', 'base.css', 'gc.css'] },
  imports: {
    viewType: 'pythonInternals.importsPanel',
    bundle: 'imports.js',
    title: 'Import Trace',
    wasm: false,
    styles: ['flamegraph.css', 'base.css', 'imports.css'],
  },
  objects: {
    viewType: 'pythonInternals.objectsPanel',
    bundle: 'objects.js',
    title: 'Objects',
    wasm: false,
    styles: ['base.css', 'objects.css'],
  },
};

export const PANEL_KINDS = Object.keys(PANELS) as PanelKind[];
