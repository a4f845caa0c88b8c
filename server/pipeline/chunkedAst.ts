/**
 * The AST of a large file, parsed chunk by chunk and cached per chunk, so that
 * after an edit only the chunk that changed goes to CPython (a 16k-line file:
 * one run of statements, milliseconds, instead of the whole file, hundreds).
 *
 * The chunks are the document's own (documents/chunks.ts): runs of whole
 * top-level statements, each starting at column 0 on a line where no string,
 * bracket or continuation is open. Such a run parses alone into the same
 * statements as in its file, so the module's body is the chunks' bodies in
 * order, and a preorder numbering over them is the whole file's (astDump
 * indexes nodes by it). Where that could fail, the whole file is parsed
 * instead: when any chunk does not parse (the whole file's error is then the
 * one to show), when `from __future__ import barry_as_FLUFL` changes the
 * grammar for the whole file, and for the optimized AST of a file with a
 * `from __future__` import (3.13's optimizer reads them: under `annotations`
 * it leaves annotations unfolded, which a later chunk alone would not know,
 * and a misplaced one is the whole file's error). `ast.parse` without
 * optimizing does not look at them: a misplaced one is only the compiler's
 * error, and the plain AST is the same either way.
 *
 * Each chunk's nodes are kept converted to LSP units, with rows relative to
 * the chunk's first line: a chunk that only moved (lines added above it) is
 * still a hit.
 */
import { type AstResult, type CollectorError, type InterpreterInfo, NODE_STRIDE, type NodeTree } from '../../protocol';
import { encodeInt32 } from '../common/int32';
import type { PositionMapper } from '../documents/positions';
import { astNodes } from './astTree';

/** A document as the chunked parse needs it (ParsedDocument fits). */
export interface ChunkedSource {
  readonly chunkStartRows?: readonly number[];
  readonly lineCount: number;
  lineAt(row: number): string;
}

interface ChunkTree {
  types: string[];
  fields: string[];
  /** Converted to LSP units; rows relative to the chunk's first line. */
  nodes: Int32Array;
  scalars: Array<number | string>;
}

/**
 * What the chunks kept may weigh (all interpreters and documents together),
 * counted as their source's characters plus their numbers: an 18k-line
 * file's chunks are about 4 MB by this count. Old chunks go first.
 */
const CACHE_BUDGET = 48 * 1024 * 1024;
/** A `from __future__ import` statement (they are top-level; a mention in a string or comment is not one). */
const FUTURE_IMPORT = /^[ \t]*from[ \t]+__future__[ \t]+import\b/m;

/** Below this many chunks, one whole-file parse costs no more. */
const MIN_CHUNKS = 4;

export type ParseChunks = (sources: string[]) => Promise<Array<AstResult | { error: CollectorError }>>;

export class ChunkedAst {
  private readonly cache = new Map<string, ChunkTree>();
  private weight = 0;

  /**
   * The module's tree from its chunks, or undefined when the whole file must
   * be parsed instead (too few chunks, a chunk that does not parse, a grammar
   * switch). Reads the text synchronously, before anything awaits.
   */
  async tree(
    doc: ChunkedSource,
    info: InterpreterInfo,
    optimize: boolean,
    positions: () => PositionMapper,
    parse: ParseChunks,
  ): Promise<NodeTree | undefined> {
    const starts = doc.chunkStartRows;
    if (!starts || starts.length < MIN_CHUNKS) return undefined;
    const chunks = starts.map((start, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]! : doc.lineCount;
      const lines: string[] = [];
      for (let row = start; row < end; row++) lines.push(doc.lineAt(row));
      return { start, source: `${lines.join('\n')}\n` };
    });
    if (chunks.some((c) => c.source.includes('barry_as_FLUFL') || (optimize && FUTURE_IMPORT.test(c.source)))) return undefined;
    const keyOf = (source: string) => `${info.executable}\0${optimize ? 1 : 0}\0${source}`;
    // Taken out of the cache now: adding the missing ones below may evict them.
    const trees: Array<ChunkTree | undefined> = chunks.map((c) => this.take(keyOf(c.source)));
    const missing = chunks.map((c, i) => ({ ...c, i })).filter(({ i }) => !trees[i]);
    if (missing.length > 0) {
      const results = await parse(missing.map((c) => c.source));
      const mapper = positions();
      for (const [k, chunk] of missing.entries()) {
        const result = results[k];
        if (!result || 'error' in result) return undefined;
        // Rows kept relative to the chunk: a chunk that only moved is still a hit.
        trees[chunk.i] = {
          types: result.types,
          fields: result.fields,
          nodes: astNodes(result, mapper, chunk.start),
          scalars: result.scalars,
        };
      }
    }
    const all = trees as ChunkTree[];
    for (const [i, c] of chunks.entries()) this.remember(keyOf(c.source), all[i]!);
    return assemble(
      all,
      chunks.map((c) => c.start),
    );
  }

  /** A cached chunk, refreshed in the LRU order. */
  private take(key: string): ChunkTree | undefined {
    const tree = this.cache.get(key);
    if (tree) {
      this.cache.delete(key);
      this.cache.set(key, tree);
    }
    return tree;
  }

  private remember(key: string, tree: ChunkTree): void {
    if (this.cache.get(key) === tree) return;
    this.forgetKey(key);
    this.cache.set(key, tree);
    this.weight += weigh(key, tree);
    while (this.weight > CACHE_BUDGET && this.cache.size > 1) this.forgetKey(this.cache.keys().next().value!);
  }

  private forgetKey(key: string): void {
    const tree = this.cache.get(key);
    if (!tree) return;
    this.cache.delete(key);
    this.weight -= weigh(key, tree);
  }
}

function weigh(key: string, tree: ChunkTree): number {
  return key.length + tree.nodes.byteLength + tree.scalars.length * 8;
}

/**
 * One Module over every chunk's statements: each chunk's own Module row
 * dropped, its statements made children of the one root, their `body`
 * indices continued, types and fields merged into one table, rows moved
 * down to the chunk's place.
 */
function assemble(trees: ChunkTree[], startRows: number[]): NodeTree {
  const types: string[] = [];
  const fields: string[] = [];
  const typeIds = new Map<string, number>();
  const fieldIds = new Map<string, number>();
  const intern = (name: string, table: string[], ids: Map<string, number>) => {
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = table.push(name) - 1));
    return id;
  };
  let total = 1;
  for (const tree of trees) total += tree.nodes.length / NODE_STRIDE - 1;
  const out = new Int32Array(total * NODE_STRIDE);
  const scalars: Array<number | string> = [];
  const first = trees[0]!;
  out.set([intern(first.types[first.nodes[0]!]!, types, typeIds), -1, -1, -1, -1, -1, -1, -1]);
  const bodyField = intern('body', fields, fieldIds);
  let count = 1;
  let statements = 0;
  for (const [k, tree] of trees.entries()) {
    const typeMap = tree.types.map((name) => intern(name, types, typeIds));
    const fieldMap = tree.fields.map((name) => intern(name, fields, fieldIds));
    const base = count - 1;
    const shift = startRows[k]!;
    const n = tree.nodes;
    let chunkStatements = 0;
    for (let at = NODE_STRIDE; at < n.length; at += NODE_STRIDE) {
      const o = count * NODE_STRIDE;
      const parent = n[at + 1]!;
      out[o] = typeMap[n[at]!]!;
      out[o + 1] = parent === 0 ? 0 : parent + base;
      out[o + 2] = n[at + 2]! < 0 ? -1 : fieldMap[n[at + 2]!]!;
      out[o + 3] = parent === 0 && n[at + 3]! >= 0 ? n[at + 3]! + statements : n[at + 3]!;
      if (parent === 0) chunkStatements++;
      const line = n[at + 4]!;
      out[o + 4] = line < 0 ? line : line + shift;
      out[o + 5] = n[at + 5]!;
      out[o + 6] = n[at + 6]! < 0 ? n[at + 6]! : n[at + 6]! + shift;
      out[o + 7] = n[at + 7]!;
      count++;
    }
    statements += chunkStatements;
    const s = tree.scalars;
    for (let i = 0; i < s.length; i += 3) {
      const node = s[i] as number;
      if (node === 0) continue;
      scalars.push(node + base, fieldMap[s[i + 1] as number]!, s[i + 2]!);
    }
  }
  // The root's own scalars, in field order: `body=[]` only if no chunk has a statement, then type_ignores.
  const rootScalars: Array<number | string> = [];
  for (let i = 0; i < first.scalars.length; i += 3) {
    if (first.scalars[i] !== 0) continue;
    const field = intern(first.fields[first.scalars[i + 1] as number]!, fields, fieldIds);
    if (field === bodyField && statements > 0) continue;
    rootScalars.push(0, field, first.scalars[i + 2]!);
  }
  // Scalars are read by node, in any order; the root's go first as in a whole-file parse.
  return { types, fields, nodes: encodeInt32(out), scalars: [...rootScalars, ...scalars], parsedFrom: 'chunks' };
}
