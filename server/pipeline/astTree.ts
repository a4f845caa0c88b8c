/**
 * The collector's AST rows (UTF-8 columns, 1-based lines) as the panel's
 * NodeTree (LSP positions). The rows have the same shape on both sides, so
 * each is converted in place: a large file's AST is ~70k nodes and this runs
 * between the worker's answer and the response.
 */
import { type AstResult, NODE_STRIDE, type NodeTree } from '../../protocol';
import { decodeInt32, encodeInt32 } from '../common/int32';
import type { PositionMapper } from '../documents/positions';

export function astTree(raw: AstResult, positions: PositionMapper): NodeTree {
  const nodes = decodeInt32(raw.nodes);
  for (let at = 4; at < nodes.length; at += NODE_STRIDE) {
    positions.spanInto(nodes, at, nodes[at]!, nodes[at + 1]!, nodes[at + 2]!, nodes[at + 3]!, 'utf8');
  }
  return { types: raw.types, fields: raw.fields, nodes: encodeInt32(nodes), scalars: raw.scalars, parsedFrom: 'file' };
}
