/**
 * The static MRO of an open document's classes, for the MRO request, the
 * code lenses, the class-name hover and the inconsistent-hierarchy
 * diagnostics. Nothing runs: it works in an untrusted workspace.
 *
 * One analysis per document version and workspace generation (any open
 * document's edit may change what an import resolves to); the outlines of
 * unchanged chunks and files are reused (outline.ts, modules.ts).
 */
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { ClassSummary, MroParams, MroResult, StaticMro } from '../../protocol';
import type { ParsedDocument } from '../documents/documents';
import { C3Engine, type Linearization } from './c3';
import type { ModuleIndex, ModuleSource } from './modules';
import type { ClassDecl } from './outline';
import { dottedPath } from './outline';
import { Resolver } from './resolve';

interface Analysis {
  key: string;
  module: ModuleSource;
  engine: C3Engine;
  classes: Array<{ decl: ClassDecl; lin: Linearization }>;
}

export class MroService {
  private readonly analyses = new Map<string, Analysis>();
  /** Bumped by any open document's change: another module's classes may have moved. */
  private generation = 0;
  private readonly resolver: Resolver;

  constructor(private readonly index: ModuleIndex) {
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
    const classes = module.outline.classes.map((decl) => ({ decl, lin: engine.linearize(module, decl) }));
    classes.sort((a, b) => a.decl.span[0] - b.decl.span[0] || a.decl.span[1] - b.decl.span[1]);
    const analysis = { key, module, engine, classes };
    this.analyses.set(doc.uri, analysis);
    return analysis;
  }

  /** Every class of the document, each with its linearization's names. */
  summaries(doc: ParsedDocument): ClassSummary[] {
    return this.analyze(doc).classes.map(({ decl, lin }) => ({
      qualname: decl.qualname,
      span: decl.span,
      mro: lin.mro.map((c) => (c.unresolved ? c.qualname : c.name)),
      complete: lin.complete && !lin.error,
      ...(lin.error ? { error: lin.error } : {}),
    }));
  }

  request(doc: ParsedDocument, params: MroParams): MroResult {
    const analysis = this.analyze(doc);
    let target: ClassDecl | undefined;
    if (params.qualname) target = analysis.classes.find((c) => c.decl.qualname === params.qualname)?.decl;
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
    let node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
    for (let n: typeof node | null = node; n; n = n.parent) {
      if (n.type === 'class_definition') {
        const name = n.childForFieldName('name');
        if (!name) continue;
        const row = name.startPosition.row;
        const column = name.startPosition.column;
        return analysis.classes.find((c) => c.decl.span[0] === row && c.decl.span[1] === column)?.decl;
      }
      node = n;
    }
    return undefined;
  }

  /**
   * The class a name at the position refers to (a class statement's name, a
   * base, any use of a class name or dotted name in the module), in full.
   */
  classAt(doc: ParsedDocument, position: { line: number; character: number }): StaticMro | undefined {
    const analysis = this.analyze(doc);
    const tree = doc.treeAt(position.line);
    const node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
    if (node?.type !== 'identifier') return undefined;
    const parent = node.parent;
    if (parent?.type === 'class_definition' && parent.childForFieldName('name')?.startIndex === node.startIndex) {
      const decl = analysis.classes.find((c) => c.decl.span[0] === node.startPosition.row && c.decl.span[1] === node.startPosition.column)?.decl;
      return decl && analysis.engine.staticMro(analysis.module, decl);
    }
    // `pkg.mod.Base`: the dotted name up to the hovered part.
    let expr: NonNullable<typeof node> = node;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === node.startIndex) expr = parent;
    const path = dottedPath(expr);
    if (!path) return undefined;
    // A base is looked up as its class statement does; any other use, in the module's final namespace.
    let scope = '';
    let beforeRow: number | undefined;
    for (let n = expr.parent; n; n = n.parent) {
      if (n.type === 'argument_list' && n.parent?.type === 'class_definition') {
        const owner = n.parent.childForFieldName('name');
        const decl = owner && analysis.classes.find((c) => c.decl.span[0] === owner.startPosition.row && c.decl.span[1] === owner.startPosition.column)?.decl;
        if (decl) {
          scope = decl.scope;
          beforeRow = decl.row;
        }
        break;
      }
    }
    const found = this.resolver.lookup(analysis.module, scope, path, beforeRow);
    if (found.kind !== 'class') return undefined;
    return analysis.engine.staticMro(found.module, found.decl);
  }

  /** Inconsistent hierarchies and repeated bases, where every class involved resolved (else the static view could be wrong). */
  diagnostics(doc: ParsedDocument): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const { decl, lin } of this.analyze(doc).classes) {
      if (!lin.error || !lin.complete) continue;
      out.push({
        range: { start: { line: decl.span[0], character: decl.span[1] }, end: { line: decl.span[2], character: decl.span[3] } },
        severity: DiagnosticSeverity.Error,
        source: 'Python Internals (MRO)',
        code: 'TypeError',
        message: `TypeError: ${lin.error}`,
      });
    }
    return out;
  }
}

export type { StaticMro };
