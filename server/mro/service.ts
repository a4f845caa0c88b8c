/**
 * The static MRO of an open document's classes, for the MRO request, the
 * code lenses, the class-name hover and the inconsistent-hierarchy
 * diagnostics. Nothing runs: it works in an untrusted workspace.
 *
 * One analysis per document version and workspace generation (any open
 * document's edit may change what an import resolves to); the outlines of
 * unchanged chunks and files are reused (outline.ts, modules.ts).
 */
import type { CancellationToken, Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { ClassSummary, MroParams, MroResult, StaticMro } from '../../protocol';
import type { Node } from 'web-tree-sitter';
import type { ParsedDocument } from '../documents/documents';
import { Foreground, sliceClock } from '../common/foreground';
import { C3Engine, type Linearization } from './c3';
import type { ModuleIndex, ModuleSource } from './modules';
import type { ClassDecl } from './model';
import { mayNameClass } from './outline';
import { dottedPath, functionLocals, parameterNames } from './bindings';
import { type LookupRows, Resolver } from './resolve';

interface Analysis {
  key: string;
  module: ModuleSource;
  engine: C3Engine;
  /** In source order. */
  decls: ClassDecl[];
  /** Every class linearized: only for what needs them all (lenses, diagnostics, the panel's list); a hover needs one. */
  all?: Array<{ decl: ClassDecl; lin: Linearization }>;
  /** The first classes linearized so far (background work goes on from here). */
  done: Array<{ decl: ClassDecl; lin: Linearization }>;
}

export class MroService {
  private readonly analyses = new Map<string, Analysis>();
  /** Bumped by any open document's change: another module's classes may have moved. */
  private generation = 0;
  private readonly resolver: Resolver;

  constructor(
    private readonly index: ModuleIndex,
    /** Hovers go first: lenses and diagnostics linearize every class in slices between them. */
    private readonly foreground = new Foreground(),
  ) {
    this.resolver = new Resolver(index);
  }

  /** Something in the workspace changed (an open document; a file on disk is seen by its mtime). */
  touch(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.analyses.delete(uri);
  }

  private analyze(doc: ParsedDocument): Analysis {
    const key = `${doc.version}:${this.generation}`;
    const cached = this.analyses.get(doc.uri);
    if (cached?.key === key) return cached;
    const module = this.index.documentModule(doc);
    const engine = new C3Engine(this.resolver);
    const decls = [...module.outline.classes].sort((a, b) => a.span[0] - b.span[0] || a.span[1] - b.span[1]);
    const analysis: Analysis = { key, module, engine, decls, done: [] };
    this.analyses.set(doc.uri, analysis);
    return analysis;
  }

  private linearizedAll(doc: ParsedDocument): NonNullable<Analysis['all']> {
    const analysis = this.analyze(doc);
    while (!analysis.all) this.linearizeNext(analysis);
    return analysis.all;
  }

  /** One more class of the analysis linearized (in source order); `all` once every one is. */
  private linearizeNext(analysis: Analysis): void {
    const decl = analysis.decls[analysis.done.length];
    if (decl) analysis.done.push({ decl, lin: analysis.engine.linearize(analysis.module, decl) });
    else analysis.all = analysis.done;
  }

  /**
   * Every class linearized as background work (lenses, diagnostics): in
   * slices, each when the foreground is quiet; a slice goes on from where
   * the last one stopped, or starts again if the workspace changed.
   * Undefined when cancelled or the document was closed.
   */
  private async linearizedAllInBackground(
    uri: string,
    current: (uri: string) => ParsedDocument | undefined,
    token?: CancellationToken,
  ): Promise<{ doc: ParsedDocument; all: NonNullable<Analysis['all']> } | undefined> {
    const clock = sliceClock();
    for (;;) {
      await this.foreground.quiet();
      const doc = current(uri);
      if (token?.isCancellationRequested || !doc) return undefined;
      clock.restart();
      const analysis = this.analyze(doc);
      while (!analysis.all && !clock.due()) this.linearizeNext(analysis);
      if (analysis.all) return { doc, all: analysis.all };
    }
  }

  /** The class a `class_definition` node defines (found by where its name is). */
  private declOf(analysis: Analysis, classNode: Node): ClassDecl | undefined {
    const name = classNode.childForFieldName('name');
    if (!name) return undefined;
    const { row, column } = name.startPosition;
    return analysis.decls.find((d) => d.span[0] === row && d.span[1] === column);
  }

  /** How `import` names the document's file, and the folder its top package is in (for the runtime MRO). */
  importedAs(doc: ParsedDocument): { name: string; root: string } | undefined {
    if (!doc.uri.startsWith('file:')) return undefined;
    const { name, root } = this.index.moduleName(doc.filename);
    return { name, root };
  }

  /** Every class of the document, each with its linearization's names. */
  summaries(doc: ParsedDocument): ClassSummary[] {
    return summarize(this.linearizedAll(doc));
  }

  /** The same for code lenses, as background work: undefined when cancelled. */
  async summariesInBackground(
    uri: string,
    current: (uri: string) => ParsedDocument | undefined,
    token?: CancellationToken,
  ): Promise<{ doc: ParsedDocument; summaries: ClassSummary[] } | undefined> {
    const done = await this.linearizedAllInBackground(uri, current, token);
    return done && { doc: done.doc, summaries: summarize(done.all) };
  }

  request(doc: ParsedDocument, params: MroParams): MroResult {
    const analysis = this.analyze(doc);
    let target: ClassDecl | undefined;
    // By qualname: the last class of that name (what the name holds once the module ran).
    if (params.qualname) target = analysis.decls.filter((d) => d.qualname === params.qualname).pop();
    if (!target && params.position) target = this.enclosingClass(analysis, doc, params.position);
    return {
      uri: doc.uri,
      version: doc.version,
      classes: this.summaries(doc),
      ...(target ? { detail: analysis.engine.staticMro(analysis.module, target) } : {}),
    };
  }

  /** The class whose statement holds the position (innermost), its decorators and body included. */
  private enclosingClass(analysis: Analysis, doc: ParsedDocument, position: { line: number; character: number }): ClassDecl | undefined {
    const tree = doc.treeAt(position.line);
    const node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
    for (let n: typeof node | null = node; n; n = n.parent) {
      // On a decorator line: the class it decorates.
      const cls = n.type === 'decorated_definition' ? n.childForFieldName('definition') : n;
      if (cls?.type === 'class_definition' && cls.childForFieldName('name')) return this.declOf(analysis, cls);
    }
    return undefined;
  }

  /**
   * The class a name at the position refers to (a class statement's name, a
   * base, any use of a class name or dotted name in the module), in full.
   */
  classAt(doc: ParsedDocument, position: { line: number; character: number }): StaticMro | undefined {
    const tree = doc.treeAt(position.line);
    const node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
    if (node?.type !== 'identifier') return undefined;
    const parent = node.parent;
    if (parent?.type === 'class_definition' && parent.childForFieldName('name')?.startIndex === node.startIndex) {
      const analysis = this.analyze(doc);
      const decl = this.declOf(analysis, parent);
      return decl && analysis.engine.staticMro(analysis.module, decl);
    }
    // `pkg.mod.Base`: the dotted name up to the hovered part.
    let expr: NonNullable<typeof node> = node;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === node.startIndex) expr = parent;
    const path = dottedPath(expr);
    // Most names cannot name a class (`self`, `x`, a function): no analysis, no lookup.
    if (!path?.[0] || isLocal(expr, path[0]) || !mayNameClass(doc.trees, doc.chunkStartRows, path)) return undefined;
    const analysis = this.analyze(doc);
    // A base is looked up as its class statement does; any other use, in the module's final namespace.
    let scope = '';
    let rows: LookupRows = {};
    for (let n = expr.parent; n; n = n.parent) {
      if (n.type === 'argument_list' && n.parent?.type === 'class_definition') {
        const decl = this.declOf(analysis, n.parent);
        if (decl) {
          scope = decl.scope;
          rows = { scope: decl.row, ...(decl.moduleRow !== undefined ? { module: decl.moduleRow } : {}) };
        }
        break;
      }
    }
    const found = this.resolver.lookup(analysis.module, scope, path, rows);
    if (found.kind !== 'class') return undefined;
    return analysis.engine.staticMro(found.module, found.decl);
  }

  /**
   * Inconsistent hierarchies and repeated bases, where every class involved
   * resolved (else the static view could be wrong), as background work.
   * Undefined when cancelled or the document was closed.
   */
  async diagnosticsInBackground(
    uri: string,
    current: (uri: string) => ParsedDocument | undefined,
    version?: readonly number[],
  ): Promise<{ doc: ParsedDocument; items: Diagnostic[] } | undefined> {
    const done = await this.linearizedAllInBackground(uri, current);
    return done && { doc: done.doc, items: hierarchyErrors(done.all, version) };
  }
}

/**
 * Whether `name`, used at `node`, is certainly local to a function whose body
 * holds it (`self`, `x = ...`): then it is that function's, never a module's
 * class. Defaults, annotations and decorators are outside the body: a
 * parameter does not hide the class they name (`def f(Base=Base)`).
 */
function isLocal(node: Node, name: string): boolean {
  const functions: Node[] = [];
  for (let child = node, n = node.parent; n; child = n, n = n.parent) {
    if ((n.type === 'function_definition' || n.type === 'lambda') && n.childForFieldName('body')?.equals(child)) functions.push(n);
  }
  // Parameters first: they cost nothing to read (a function's other locals cost a walk of its body).
  return functions.some((fn) => parameterNames(fn).includes(name)) || functions.some((fn) => functionLocals(fn, true).includes(name));
}

/** The diagnostics of classes CPython would refuse, in the selected interpreter's words. */
function hierarchyErrors(all: NonNullable<Analysis['all']>, version?: readonly number[]): Diagnostic[] {
  // CPython 3.8–3.12 break the message after "resolution" (Objects/typeobject.c's set_mro_error).
  const worded = (error: string) =>
    version && (version[0] ?? 3) === 3 && (version[1] ?? 13) < 13
      ? error.replace('method resolution order', 'method resolution\norder')
      : error;
  const out: Diagnostic[] = [];
  for (const { decl, lin } of all) {
    if (!lin.error || !lin.complete) continue;
    out.push({
      range: { start: { line: decl.span[0], character: decl.span[1] }, end: { line: decl.span[2], character: decl.span[3] } },
      severity: DiagnosticSeverity.Error,
      source: 'Python Internals (MRO)',
      code: 'TypeError',
      message: `TypeError: ${worded(lin.error)}`,
    });
  }
  return out;
}

function summarize(all: NonNullable<Analysis['all']>): ClassSummary[] {
  return all.map(({ decl, lin }) => {
    const stopsAt = lin.mro.findIndex((c) => c.unresolved);
    return {
      qualname: decl.qualname,
      span: decl.span,
      mro: lin.mro.map((c) => (c.unresolved ? c.qualname : c.name)),
      complete: lin.complete && !lin.error,
      ...(stopsAt >= 0 ? { stopsAt } : {}),
      ...(lin.error ? { error: lin.error } : {}),
    };
  });
}
