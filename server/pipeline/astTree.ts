/**
 * The collector's AST rows (UTF-8 columns, 1-based lines) as the panel's
 * NodeTree (LSP positions). The rows have the same shape on both sides, so
 * each is converted in place: a large file's AST is ~150k rows and this runs
 * between the worker's answer and the response.
 */
import type { AstResult, NodeTree, TreeRow } from '../../protocol';
import type { PositionMapper } from '../documents/positions';

export function astTree(raw: AstResult, positions: PositionMapper): NodeTree {
  const nodes = raw.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]! as unknown as number[];
    positions.spanInto(node, 4, node[4]!, node[5]!, node[6]!, node[7]!, 'utf8');
  }
  return { types: raw.types, fields: raw.fields, rows: nodes as unknown as TreeRow[] };
}
