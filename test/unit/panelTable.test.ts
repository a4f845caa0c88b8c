import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PANEL_KINDS, PANELS } from '../../extension/panels/descriptors';
import { isFollowingState, isReportPanelState } from '../../extension/panels/savedState';
import { repoRoot } from '../helpers/pythons';

describe('the panel table (extension/panels/descriptors.ts)', () => {
  it('names exactly the view types package.json activates on, one per kind', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { activationEvents: string[] };
    const activated = manifest.activationEvents
      .filter((e) => e.startsWith('onWebviewPanel:'))
      .map((e) => e.slice('onWebviewPanel:'.length));
    const viewTypes = PANEL_KINDS.map((kind) => PANELS[kind].viewType);
    assert.deepEqual([...viewTypes].sort(), [...activated].sort());
    assert.equal(new Set(viewTypes).size, viewTypes.length);
  });

  it('names a bundle and stylesheets the build puts in dist/webview', () => {
    const built = path.join(repoRoot, 'dist', 'webview');
    for (const kind of PANEL_KINDS) {
      const { bundle, styles } = PANELS[kind];
      for (const file of [bundle, ...styles]) assert.ok(fs.existsSync(path.join(built, file)), `${kind}: dist/webview/${file}`);
    }
  });
});

describe("a panel's saved state is checked before a revived panel reads it (extension/panels/savedState.ts)", () => {
  const report = {
    result: { uri: 'file:///w/a.py', summary: 'finished', exit: { status: 0 } },
    fileName: 'a.py',
    line: 3,
    call: { call: 'work', times: 10 },
  };

  it('takes what pages write, fields the extension does not read included', () => {
    assert.ok(isFollowingState({}));
    assert.ok(isFollowingState({ uri: 'file:///w/a.py', pinned: true, interpreterPath: '/usr/bin/python3', tab: 'ast', optimize: 1 }));
    assert.ok(isReportPanelState({}));
    assert.ok(isReportPanelState({ report }));
    assert.ok(isReportPanelState({ report: { ...report, line: undefined, call: undefined } }));
  });

  it('refuses other shapes', () => {
    for (const bad of [undefined, null, 'file:///w/a.py', 42, [], { uri: 7 }, { pinned: 'yes' }, { interpreterPath: ['python'] }])
      assert.equal(isFollowingState(bad), false, JSON.stringify(bad));
    for (const bad of [
      null,
      [],
      { report: 'a.py' },
      { report: { ...report, result: undefined } },
      { report: { ...report, result: { summary: 'finished' } } },
      { report: { ...report, fileName: 1 } },
      { report: { ...report, line: '3' } },
      { report: { ...report, call: 'work' } },
      { report: { ...report, call: { times: 'ten' } } },
    ])
      assert.equal(isReportPanelState(bad), false, JSON.stringify(bad));
  });
});
