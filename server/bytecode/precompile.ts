/**
 * Background precompile. After a document opens (and again when typing
 * pauses), every function in it and every method of its top-level classes is
 * compiled in the worker, exactly as the first hover there would compile it
 * (same snippet), and dis reads it through. The server keeps every
 * instruction (BytecodeService.precompile): a hover in any function then
 * needs no worker request at all, whatever the file's size, also right after
 * an edit elsewhere (the snippet is the same text).
 *
 * Compile only, never run: safe in untrusted workspaces, like the hover.
 * Low priority: batches are small and queue behind every other worker
 * request (worker.ts), and building snippets yields to the event loop every
 * few milliseconds, so hovers and edits go first.
 */
import { performance } from 'node:perf_hooks';
import type { Node, Tree } from 'web-tree-sitter';
import type { InterpreterInfo, PrecompiledParams } from '../../protocol';
import type { BytecodeService, SourceDocument } from './service';
import { PerDocumentTimer } from '../common/debounce';
import type { Logger } from '../common/logger';
import { buildSnippet, methodsOf, moduleScopeImports, SnippetOptions } from './snippet';

/** Snippets per worker request: a few milliseconds of CPython work, the longest a hover waits behind one. */
const BATCH_SNIPPETS = 4;
/** Main-thread time spent building snippets before letting other events in. */
const SLICE_MS = 4;
/**
 * At most this many snippets per document: the server keeps a bounded number
 * of instructions (service.ts), so precompiling more would evict the first
 * ones (and other files') before any hover. An 18,000-line file has about 760.
 */
const MAX_PER_DOCUMENT = 1500;

/** Compound statements at module level that can hold definitions. */
const COMPOUND_TYPES = new Set(['if_statement', 'try_statement', 'with_statement', 'for_statement', 'while_statement', 'match_statement']);

function definitionOf(node: Node): Node | null {
  return node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
}

function holdsFunction(node: Node): boolean {
  return node.descendantsOfType(['function_definition', 'lambda']).length > 0;
}

/**
 * The top-level statements of `tree` a first hover compiles as snippets, with
 * the options it compiles them with (see BytecodeService.lineBytecode):
 *  1. a function, whole;
 *  2. a top-level class, once per method in its body (also under an `if`,
 *     `try`, `with` or loop there), with `only` that method; and whole if it
 *     has functions elsewhere (a nested class's methods, a lambda);
 *  3. an `if`/`try`/`with`/loop at module level that defines functions, whole.
 */
export function* hoverStatements(tree: Tree): Generator<{ statement: Node; options: SnippetOptions }> {
  for (const top of tree.rootNode.namedChildren) {
    if (!top) continue;
    const definition = definitionOf(top);
    if (definition?.type === 'function_definition') {
      yield { statement: top, options: {} };
    } else if (definition?.type === 'class_definition') {
      const body = definition.childForFieldName('body');
      if (!body) continue;
      const { methods, elsewhere } = methodsOf(body);
      for (const method of methods) yield { statement: top, options: { only: method } };
      if (elsewhere) yield { statement: top, options: {} };
    } else if (COMPOUND_TYPES.has(top.type) && holdsFunction(top)) {
      yield { statement: top, options: {} };
    }
  }
}

interface Run {
  cancelled: boolean;
}

export class Precompiler {
  private readonly timers = new PerDocumentTimer();
  private readonly runs = new Map<string, Run>();
  /** Each tree's snippet sources, for the module imports they were built with: only reparsed chunks are built again. */
  private readonly built = new WeakMap<Tree, { imports: string; sources: string[] }>();

  constructor(
    private readonly bytecode: BytecodeService,
    private readonly log: Logger,
    private readonly onDone: (params: PrecompiledParams) => void,
    private readonly current: (uri: string) => SourceDocument | undefined,
  ) {}

  schedule(doc: SourceDocument, interpreter: Promise<InterpreterInfo>, delayMs: number): void {
    this.cancel(doc.uri);
    this.timers.schedule(doc.uri, delayMs, () => {
      const run: Run = { cancelled: false };
      this.runs.set(doc.uri, run);
      this.run(doc, interpreter, run)
        .catch((err: unknown) => this.log.warn(`Precompile of ${doc.uri} stopped: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          if (this.runs.get(doc.uri) === run) this.runs.delete(doc.uri);
        });
    });
  }

  cancel(uri: string): void {
    this.timers.cancel(uri);
    const run = this.runs.get(uri);
    if (run) run.cancelled = true;
    this.runs.delete(uri);
  }

  dispose(): void {
    this.timers.dispose();
    for (const run of this.runs.values()) run.cancelled = true;
    this.runs.clear();
  }

  private async run(doc: SourceDocument, interpreterPromise: Promise<InterpreterInfo>, run: Run): Promise<void> {
    const started = performance.now();
    let interpreter: InterpreterInfo;
    try {
      interpreter = await interpreterPromise;
    } catch {
      return; // no usable interpreter: the status bar and the hover say so
    }
    const version = doc.version;
    // The document's trees are deleted when it changes or closes: stop touching them then.
    const stale = () => run.cancelled || this.current(doc.uri) !== doc || doc.version !== version;
    if (stale()) return;
    const trees = doc.trees;
    const { future, other } = moduleScopeImports(trees);
    const imports = JSON.stringify([future, other.map((i) => i.text)]);
    const lineAt = (row: number) => doc.lineAt(row);
    const pending: Array<Promise<void>> = [];
    /** Sources sent in this run (the same function text twice is compiled once). */
    const sent = new Set<string>();
    let functions = 0;
    let compiled = 0;
    let batch: string[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      pending.push(
        this.bytecode.precompile(interpreter, batch, doc.filename).then(
          (result) => void (compiled += result.compiled),
          () => {}, // a failed batch only leaves its hovers to ask the worker
        ),
      );
      batch = [];
    };
    let sliceStart = performance.now();
    trees: for (const tree of trees) {
      let entry = this.built.get(tree);
      if (!entry || entry.imports !== imports) {
        const sources: string[] = [];
        for (const { statement, options } of hoverStatements(tree)) {
          sources.push(buildSnippet(trees, statement, lineAt, options).source);
          if (performance.now() - sliceStart > SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            if (stale()) return;
            sliceStart = performance.now();
          }
        }
        entry = { imports, sources };
        this.built.set(tree, entry);
      }
      for (const source of entry.sources) {
        if (functions === MAX_PER_DOCUMENT) break trees;
        functions++;
        if (sent.has(source) || this.bytecode.hasPrecompiled(interpreter, doc.filename, source)) continue;
        sent.add(source);
        batch.push(source);
        if (batch.length >= BATCH_SNIPPETS) flush();
      }
    }
    flush();
    await Promise.all(pending);
    if (stale()) return;
    this.onDone({ uri: doc.uri, version, functions, compiled, ms: Math.round(performance.now() - started) });
  }
}
