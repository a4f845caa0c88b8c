/** -X importtime's post-order lines as a tree, and runs merged with their spread (server/runtime/importTree.ts). */
import * as assert from 'node:assert/strict';
import { mergeRuns, parseImportTimes } from '../../server/runtime/importTree';

const RUN = [
  'import time:       208 |        208 |       _json',
  'import time:       400 |        607 |     json.scanner',
  'import time:       454 |       1061 |   json.decoder',
  'import time:       372 |        372 |   json.encoder',
  'import time:       196 |       1629 | json',
  'import time:      1265 |       1265 |   _csv',
  'import time:      8219 |       9484 | csv',
];

describe('import trace tree (importTree.ts)', () => {
  it('reads the post-order lines into who imported whom', () => {
    const roots = parseImportTimes(RUN);
    assert.deepEqual(
      roots.map((r) => [r.name, r.selfUs, r.cumulativeUs, r.children.map((c) => c.name)]),
      [
        ['json', 196, 1629, ['json.decoder', 'json.encoder']],
        ['csv', 8219, 9484, ['_csv']],
      ],
    );
    assert.deepEqual(
      roots[0]!.children[0]!.children.map((c) => c.name),
      ['json.scanner'],
    );
    assert.deepEqual(
      roots[0]!.children[0]!.children[0]!.children.map((c) => c.name),
      ['_json'],
    );
  });

  it('merges runs: the first run’s tree, each module’s median and spread, what only some runs imported', () => {
    const second = RUN.map((l) => l.replace('8219', '8001').replace('9484', '9266'));
    const third = [...RUN.map((l) => l.replace('8219', '9000').replace('9484', '10265')), 'import time:        50 |         50 | extra'];
    const trace = mergeRuns([parseImportTimes(RUN), parseImportTimes(second), parseImportTimes(third)], {
      csv: {
        finder: 'PathFinder',
        loader: 'SourceFileLoader',
        origin: '/lib/csv.py',
        cached: null,
        pyc: 'fresh',
        namespace: false,
        package: false,
        pathEntry: '/lib',
      },
    });
    assert.equal(trace.runs, 3);
    assert.deepEqual(
      trace.modules.map((m) => [m.name, m.parent]),
      [
        ['json', -1],
        ['json.decoder', 0],
        ['json.scanner', 1],
        ['_json', 2],
        ['json.encoder', 0],
        ['csv', -1],
        ['_csv', 5],
        ['extra', -1],
      ],
    );
    const csv = trace.modules[5]!;
    assert.deepEqual(csv.self, { median: 8219, min: 8001, max: 9000 });
    assert.equal(csv.runs, 3);
    assert.equal(csv.spec?.pathEntry, '/lib');
    assert.equal(trace.modules[7]!.runs, 1);
    assert.equal(trace.totalUs, 1629 + 9484 + 50);
  });
});
