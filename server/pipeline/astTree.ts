/**
 * The collector's AST rows (UTF-8 columns, 1-based lines) in LSP units, for
 * the whole file (astTree) and for one chunk of it (chunkedAst.ts). The rows
 * have the same shape on both sides, so each is converted in place: a large
 * file's AST is ~70k nodes and this runs between the worker's answer and the
 * response.
 */
import { type AstResult, NODE_STRIDE, type NodeTree } from '../../protocol';
import { decodeInt32, encodeInt32 } from '../common/int32';
import type { PositionMapper } from '../documents/positions';

export function astTree(raw: AstResult, positions: PositionMapper): NodeTree {
  return { types: raw.types, fields: raw.fields, nodes: encodeInt32(astNodes(raw, positions)), scalars: raw.scalars, parsedFrom: 'file' };
}

/**
 * The raw nodes with LSP spans. `firstRow`: the row the parsed source starts
 * at in the document (a chunk's), whose lines give the columns; the rows
 * written stay relative to it.
 */
export function astNodes(raw: AstResult, positions: PositionMapper, firstRow = 0): Int32Array {
  const nodes = decodeInt32(raw.nodes);
  for (let at = 4; at < nodes.length; at += NODE_STRIDE) {
    const line = nodes[at]!;
    const endLine = nodes[at + 2]!;
    positions.spanInto(
      nodes,
      at,
      line >= 1 ? line + firstRow : line,
      nodes[at + 1]!,
      endLine >= 1 ? endLine + firstRow : endLine,
      nodes[at + 3]!,
      'utf8',
    );
    if (firstRow === 0) continue;
    if (nodes[at]! >= 0) nodes[at] = nodes[at]! - firstRow;
    if (nodes[at + 2]! >= 0) nodes[at + 2] = nodes[at + 2]! - firstRow;
  }
  return nodes;
}
