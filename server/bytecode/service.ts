/**
 * The bytecode service shared by the hover, the listing view and the CLI:
 * from (document, position) to the instructions CPython compiles there.
 *
 * Code inside a def/lambda/class/comprehension is compiled as its top-level
 * statement alone (with the module's imports, see snippet.ts), so hover cost
 * does not grow with the file; results are cached by (interpreter, filename,
 * source). Module-level code is compiled as the whole file, cached per
 * document version.
 */
import { BytecodeListing, CodeObject, CompileResult, InterpreterInfo, LineBytecode } from '../../protocol';
import { formatListing } from './listing';
import { compareVersions } from '../cpython/interpreter';
import type { WorkerPool } from '../cpython/pool';
import { findScope, firstColumn, sameKindIndexOnLine, scopeCodeName, scopeFirstLine } from '../documents/scope';
import { shiftFields, shiftInstruction } from './shift';
import { buildSnippet, isMethodOf, SnippetOptions } from './snippet';
import type { Node, Point, Tree } from 'web-tree-sitter';
import { Cancellation, CollectorRequestError, WorkerError } from '../cpython/worker';
import { UserError } from '../common/userError';

/** What the service needs from a document: the LSP store's and the CLI's both fit. */
export interface SourceDocument {
  /** One line's text (0-based row), without its line break. */
  lineAt(row: number): string;
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** The syntax tree that holds row `row` (0-based); a document may be parsed in chunks (chunks.ts). */
  treeAt(row: number): Tree;
  /** Every tree of the module, in order. */
  readonly trees: readonly Tree[];
  /** The filename given to compile(): the file's path when it has one. */
  readonly filename: string;
}

/** A compile that failed for a reason worth showing the user (syntax error, limit, worker trouble). */
export class BytecodeError extends UserError {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const CACHE_SIZE = 512;
/**
 * Instructions kept from precompiles, in all: about three 18,000-line files
 * (one has ~48,000), some tens of megabytes at most. The oldest go first.
 */
const MAX_PRECOMPILED_INSTRUCTIONS = 150_000;

export class BytecodeService {
  private readonly cache = new Map<string, Promise<CompileResult>>();
  /** Snippets compiled in full by the precompile (every instruction): a hover in one needs no worker request. */
  private readonly precompiled = new Map<string, { result: CompileResult; instructions: number }>();
  private precompiledInstructions = 0;

  constructor(private readonly pool: WorkerPool) {}

  /**
   * Compile snippets in full, at background priority, and keep every code
   * object and instruction: later hovers in them are answered here, with no
   * round trip to the worker (the usual cost of a hover after an edit).
   */
  async precompile(interpreter: InterpreterInfo, sources: string[], filename: string): Promise<{ compiled: number; failed: number }> {
    const answer = await this.pool.get(interpreter).request('precompile', { sources, filename }, { background: true });
    answer.modules.forEach((module, i) => {
      if (module) this.keepPrecompiled(precompiledKey(interpreter, filename, sources[i]!), { module });
    });
    return { compiled: answer.compiled, failed: answer.failed };
  }

  /** Whether a snippet's full compile is kept (the precompile skips it). */
  hasPrecompiled(interpreter: InterpreterInfo, filename: string, source: string): boolean {
    return this.precompiled.has(precompiledKey(interpreter, filename, source));
  }

  private keepPrecompiled(key: string, result: CompileResult): void {
    const instructions = countInstructions(result.module);
    const old = this.precompiled.get(key);
    if (old) {
      this.precompiled.delete(key);
      this.precompiledInstructions -= old.instructions;
    }
    this.precompiled.set(key, { result, instructions });
    this.precompiledInstructions += instructions;
    while (this.precompiledInstructions > MAX_PRECOMPILED_INSTRUCTIONS && this.precompiled.size > 1) {
      const [oldest, entry] = this.precompiled.entries().next().value!;
      this.precompiled.delete(oldest);
      this.precompiledInstructions -= entry.instructions;
    }
  }

  /** A precompiled snippet's full compile, made the most recently used. */
  private takePrecompiled(interpreter: InterpreterInfo, filename: string, source: string): CompileResult | undefined {
    const key = precompiledKey(interpreter, filename, source);
    const entry = this.precompiled.get(key);
    if (!entry) return undefined;
    this.precompiled.delete(key);
    this.precompiled.set(key, entry);
    return entry.result;
  }

  /**
   * Compile `source` with the interpreter; cached by (interpreter, filename,
   * source, what). With `onlyLine`, instructions come for that line only; with
   * `moduleOnly` too, the module's code object comes without its children.
   */
  compile(
    interpreter: InterpreterInfo,
    source: string,
    filename: string,
    token?: Cancellation,
    onlyLine?: number,
    moduleOnly = false,
  ): Promise<CompileResult> {
    const key = `${interpreter.executable}\0${filename}\0${onlyLine ?? ''}${moduleOnly ? 'm' : ''}\0${source}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const params = onlyLine === undefined ? { source, filename } : { source, filename, onlyLine, ...(moduleOnly ? { moduleOnly } : {}) };
    const pending = this.pool.get(interpreter).request('compile', params, token ? { token } : {});
    this.cache.set(key, pending);
    // Failures of the worker itself (crash, timeout, cancel) are not facts about the source: don't keep them.
    pending.catch((err) => {
      if (err instanceof WorkerError) this.cache.delete(key);
    });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return pending;
  }

  /**
   * The whole file, compiled once per text; failures become BytecodeError.
   * With `moduleLine`, just the module's own code object and its instructions
   * on that line (for a hover on module-level code).
   */
  compileFile(interpreter: InterpreterInfo, doc: SourceDocument, token?: Cancellation, moduleLine?: number): Promise<CompileResult> {
    return this.guard(this.compile(interpreter, doc.text, doc.filename, token, moduleLine, moduleLine !== undefined), interpreter);
  }

  /** The instructions for the line at `position` (0-based, LSP), in its innermost code object. */
  async lineBytecode(
    interpreter: InterpreterInfo,
    doc: SourceDocument,
    position: { line: number; character: number },
    token?: Cancellation,
  ): Promise<LineBytecode> {
    const point: Point = { row: position.line, column: position.character };
    const tree = doc.treeAt(point.row);
    const { scopes, topStatement } = findScope(tree, point);
    const line = position.line + 1;
    let code: CodeObject | undefined;
    let delta = 0;
    let compiledFrom: LineBytecode['compiledFrom'] = 'statement';
    /** The statement's compile the answer came from (or, for module-level code, the last one tried). */
    let snippet: { module: CodeObject; delta: number; options: SnippetOptions } | undefined;
    if (scopes.length > 0 && topStatement) {
      // 1. Inside a method of a top-level class: the class header and that method only.
      // 2. The whole statement, at a fixed place (cache survives edits elsewhere).
      // 3. The whole statement in place, when the code is a class body on 3.13+
      //    (its constants hold its first line, `__firstlineno__`).
      const method = methodStatement(scopes, topStatement);
      const attempts: SnippetOptions[] = method ? [{ only: method }, {}] : [{}];
      for (let i = 0; i < attempts.length; i++) {
        const options = attempts[i]!;
        const compiled = await this.compileStatement(interpreter, doc, topStatement, options, line, token);
        snippet = { module: compiled.result.module, delta: compiled.lineDelta, options };
        const path = codeObjectPath(compiled.result.module, scopes, compiled.lineDelta);
        const picked = codeObjectForLine(path, line - compiled.lineDelta);
        // With `only`, code above the method (the class body) is not the file's.
        if (options.only && path.indexOf(picked) < 2) continue;
        if (picked !== path[0] && isClassBody(picked) && compiled.lineDelta !== 0 && compareVersions(interpreter.version, [3, 13]) >= 0) {
          if (!options.inPlace) attempts.push({ inPlace: true });
          continue;
        }
        // Module-level code is taken from the whole file below: the statement
        // alone would give the same instructions at different offsets.
        if (picked !== path[0]) {
          code = picked;
          delta = compiled.lineDelta;
        }
        break;
      }
    }
    if (!code) {
      try {
        // This line's instructions only: a whole large file's are megabytes.
        code = (await this.compileFile(interpreter, doc, token, line)).module;
        compiledFrom = 'file';
      } catch (err) {
        // Module-level code in a file that does not compile: if the error is in
        // another statement, this statement alone still shows its bytecode.
        if (!(err instanceof BytecodeError) || !topStatement || this.errorIsIn(err, topStatement)) throw err;
        const compiled = await this.compileStatement(interpreter, doc, topStatement, { inPlace: true }, line, token);
        code = compiled.result.module;
        delta = compiled.lineDelta;
      }
    }
    const { children: _children, instructions = [], ...fields } = code;
    const result: LineBytecode = {
      interpreter,
      line,
      codeObject: shiftFields(fields, delta),
      instructions: instructions.filter((i) => i.line === line - delta).map((i) => shiftInstruction(i, delta)),
      instructionCount: code.instructionCount,
      compiledFrom,
    };
    if (snippet) Object.assign(result, alsoOnLine(snippet, code, line, interpreter));
    return result;
  }

  /** Compile a top-level statement as a snippet (see snippet.ts); errors are reported at the file's lines. */
  private async compileStatement(
    interpreter: InterpreterInfo,
    doc: SourceDocument,
    statement: Node,
    options: SnippetOptions,
    fileLine: number,
    token?: Cancellation,
  ): Promise<{ result: CompileResult; lineDelta: number }> {
    const snippet = buildSnippet(doc.trees, statement, (row) => doc.lineAt(row), options);
    const precompiled = this.takePrecompiled(interpreter, doc.filename, snippet.source);
    if (precompiled) return { result: precompiled, lineDelta: snippet.lineDelta };
    const onlyLine = fileLine - snippet.lineDelta;
    const result = await this.guard(
      this.compile(interpreter, snippet.source, doc.filename, token, onlyLine),
      interpreter,
      snippet.lineDelta,
    );
    return { result, lineDelta: snippet.lineDelta };
  }

  private errorIsIn(err: BytecodeError, statement: Node): boolean {
    if (err.line === undefined) return true;
    return err.line - 1 >= statement.startPosition.row && err.line - 1 <= statement.endPosition.row;
  }

  /** Line-based form (the CLI's --line): the first non-blank column of a 1-based line. */
  lineBytecodeAtLine(interpreter: InterpreterInfo, doc: SourceDocument, line: number, token?: Cancellation): Promise<LineBytecode> {
    const row = line - 1;
    return this.lineBytecode(interpreter, doc, { line: row, character: firstColumn(doc.text, row) }, token);
  }

  /** The full listing of the file; `line` (0-based) picks the code object to reveal. */
  async listing(interpreter: InterpreterInfo, doc: SourceDocument, line?: number, token?: Cancellation): Promise<BytecodeListing> {
    const result = await this.compileFile(interpreter, doc, token);
    let target: CodeObject | undefined;
    if (line !== undefined) {
      const { scopes } = findScope(doc.treeAt(line), { row: line, column: firstColumn(doc.text, line) });
      target = locateCodeObject(result.module, scopes);
    }
    const { text, codeObjectLines } = formatListing(result.module, interpreter);
    const revealLine = target ? codeObjectLines.get(target) : undefined;
    return revealLine === undefined ? { interpreter, text } : { interpreter, text, revealLine };
  }

  clear(): void {
    this.cache.clear();
    this.precompiled.clear();
    this.precompiledInstructions = 0;
  }

  /** Turn collector and worker failures into one error type with a message for people. */
  private async guard<T>(pending: Promise<T>, interpreter: InterpreterInfo, lineDelta = 0): Promise<T> {
    try {
      return await pending;
    } catch (err) {
      if (err instanceof CollectorRequestError) {
        const at = err.detail.line ? err.detail.line + lineDelta : undefined;
        const where = at ? ` (line ${at})` : '';
        throw new BytecodeError(`CPython ${interpreter.versionText} cannot compile this code: ${err.detail.message}${where}`, at);
      }
      throw err;
    }
  }
}

function precompiledKey(interpreter: InterpreterInfo, filename: string, source: string): string {
  return `${interpreter.executable}\0${filename}\0${source}`;
}

function countInstructions(code: CodeObject): number {
  return (code.instructions?.length ?? 0) + code.children.reduce((sum, child) => sum + countInstructions(child), 0);
}

/**
 * The line's instructions in the other code objects of its statement, exact
 * ones only: every function-like code object (def, lambda, comprehension)
 * compiles alike alone and in the file; a class body too unless the snippet
 * held only one of its methods, or 3.13+ compiled it away from its place (its
 * constants hold its first line). The snippet's module code sits at other
 * offsets than the file's: it is only said to have some (`moduleAlso`).
 */
function alsoOnLine(
  snippet: { module: CodeObject; delta: number; options: SnippetOptions },
  picked: CodeObject,
  line: number,
  interpreter: InterpreterInfo,
): Pick<LineBytecode, 'alsoIn' | 'moduleAlso'> {
  const snippetLine = line - snippet.delta;
  const classesExact = !snippet.options.only && (snippet.delta === 0 || compareVersions(interpreter.version, [3, 13]) < 0);
  const found: Array<{ code: CodeObject; depth: number }> = [];
  const walk = (code: CodeObject, depth: number) => {
    for (const child of code.children) {
      const exact = !isClassBody(child) || classesExact;
      if (child !== picked && exact && child.instructions?.some((i) => i.line === snippetLine)) found.push({ code: child, depth });
      walk(child, depth + 1);
    }
  };
  walk(snippet.module, 1);
  const out: Pick<LineBytecode, 'alsoIn' | 'moduleAlso'> = {};
  // The answer itself may be the file's module, not the snippet's: compare by what they are.
  const others = found.filter(
    ({ code }) => !(code.name === picked.name && code.firstLine + snippet.delta === picked.firstLine && code.qualname === picked.qualname),
  );
  if (others.length) {
    out.alsoIn = others
      .sort((a, b) => b.depth - a.depth)
      .map(({ code }) => ({
        qualname: code.qualname,
        instructions: (code.instructions ?? []).filter((i) => i.line === snippetLine).map((i) => shiftInstruction(i, snippet.delta)),
        instructionCount: code.instructionCount,
      }));
  }
  if (picked.name !== '<module>' && snippet.module.instructions?.some((i) => i.line === snippetLine)) out.moduleAlso = true;
  return out;
}

/** A class body's code object: neither a function's (OPTIMIZED) nor the module's. */
function isClassBody(code: CodeObject): boolean {
  return !code.flags.includes('OPTIMIZED') && code.name !== '<module>';
}

/**
 * The method statement (a def, or its decorated form) that the scopes pass
 * through when they enter a top-level class directly: compiling the class's
 * header with only that method gives that method's code objects exactly.
 */
export function methodStatement(scopesInnermostFirst: Node[], top: Node): Node | undefined {
  const n = scopesInnermostFirst.length;
  if (n < 2) return undefined;
  const cls = scopesInnermostFirst[n - 1]!;
  const fn = scopesInnermostFirst[n - 2]!;
  if (cls.type !== 'class_definition' || fn.type !== 'function_definition') return undefined;
  const topDefinition = top.type === 'decorated_definition' ? top.childForFieldName('definition') : top;
  if (!topDefinition?.equals(cls)) return undefined;
  const body = cls.childForFieldName('body');
  const statement = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  if (!body || !isMethodOf(statement, body)) return undefined;
  return statement;
}

/**
 * Walk from the module's code object down the enclosing scopes (outermost
 * first), matching each scope node to a child code object by co_name and
 * co_firstlineno. A scope with no code object of its own (a comprehension that
 * PEP 709 inlined on 3.12+) leaves us in its parent, which holds its code.
 * Returns the path, module first.
 */
export function codeObjectPath(module: CodeObject, scopesInnermostFirst: Node[], lineDelta = 0): CodeObject[] {
  const path = [module];
  for (let i = scopesInnermostFirst.length - 1; i >= 0; i--) {
    const node = scopesInnermostFirst[i]!;
    const name = scopeCodeName(node);
    const firstLine = scopeFirstLine(node);
    const current = path[path.length - 1]!;
    const candidates = current.children.filter((c) => c.name === name && c.firstLine + lineDelta === firstLine);
    if (candidates.length === 0) continue;
    // Only when several code objects share name and line (lambdas on one line) does the order matter.
    path.push(candidates.length === 1 ? candidates[0]! : candidates[Math.min(sameKindIndexOnLine(node), candidates.length - 1)]!);
  }
  return path;
}

export function locateCodeObject(module: CodeObject, scopesInnermostFirst: Node[]): CodeObject {
  const path = codeObjectPath(module, scopesInnermostFirst);
  return path[path.length - 1]!;
}

/**
 * The innermost code object on the path with instructions on `line`: a
 * `class C:` header line, for instance, has none in the class body's code but
 * some in the enclosing scope, which builds the class.
 */
export function codeObjectForLine(path: CodeObject[], line: number): CodeObject {
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i]!.instructions?.some((ins) => ins.line === line)) return path[i]!;
  }
  return path[path.length - 1]!;
}
