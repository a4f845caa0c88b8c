/** Flat trees (AstResult, NodeTree) back as one row per node, for readable assertions. */
import { NODE_STRIDE } from '../../protocol';
import { decodeInt32 } from '../../server/common/int32';

/** [type, parent, field, list index, startLine, startCol, endLine, endCol, scalars ([field, text]) or 0] */
export type Row = [number, number, number, number, number, number, number, number, Array<[number, string]> | 0];

export function treeRows(tree: { nodes: string; scalars: Array<number | string> }): Row[] {
  const rows: Row[] = [];
  const n = decodeInt32(tree.nodes);
  for (let at = 0; at < n.length; at += NODE_STRIDE) {
    rows.push([n[at]!, n[at + 1]!, n[at + 2]!, n[at + 3]!, n[at + 4]!, n[at + 5]!, n[at + 6]!, n[at + 7]!, 0]);
  }
  for (let i = 0; i < tree.scalars.length; i += 3) {
    const row = rows[tree.scalars[i] as number]!;
    const scalar: [number, string] = [tree.scalars[i + 1] as number, tree.scalars[i + 2] as string];
    if (row[8] === 0) row[8] = [scalar];
    else row[8].push(scalar);
  }
  return rows;
}
