/**
 * The layering rules (.dependency-cruiser.cjs) bite: a tree that breaks each
 * one fails `depcruise` with exactly those violations. The real tree is
 * checked by `npm run lint`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers/pythons';

/** A file per module, each breaking one rule (or none: the targets). */
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true } }),
  'protocol/common.ts': "import { other } from './other';\nexport const common = other;\n",
  'protocol/other.ts': "import { target } from '../server/target';\nexport const other = target;\n",
  'server/target.ts': 'export const target = 1;\n',
  'server/a.ts': [
    "import type * as vscode from 'vscode';",
    "import { target } from '../extension/target';",
    "import { page } from '../webview/target';",
    "import { helper } from '../test/helper';",
    'export const a: vscode.Disposable | number = target + page + helper;',
  ].join('\n'),
  'extension/target.ts': 'export const target = 1;\n',
  'extension/a.ts': "import { target } from '../server/target';\nexport const a = target;\n",
  'webview/target.ts': 'export const page = 1;\n',
  'webview/a.ts':
    "import { target } from '../extension/target';\nimport { target as t } from '../server/target';\nexport const a = target + t;\n",
  // A cycle of type-only imports is still a cycle.
  'webview/b.ts': "import type { C } from './c';\nexport interface B { c?: C }\n",
  'webview/c.ts': "import type { B } from './b';\nexport interface C { b?: B }\n",
  'test/helper.ts': 'export const helper = 1;\n',
};

const EXPECTED = [
  'protocol-common-imports-nothing protocol/common.ts -> protocol/other.ts',
  'protocol-is-self-contained protocol/other.ts -> server/target.ts',
  'server-not-vscode server/a.ts -> vscode',
  'server-not-extension-or-webview server/a.ts -> extension/target.ts',
  'server-not-extension-or-webview server/a.ts -> webview/target.ts',
  'shipped-not-tests server/a.ts -> test/helper.ts',
  'extension-not-server extension/a.ts -> server/target.ts',
  'webview-not-server-or-extension webview/a.ts -> extension/target.ts',
  'webview-not-server-or-extension webview/a.ts -> server/target.ts',
  'no-circular webview/b.ts -> webview/c.ts', // once per cycle
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('layering rules (dependency-cruiser)', () => {
  it('fail a tree that breaks each rule, naming every broken import and nothing else', function () {
    this.timeout(60000);
    const dir = tempDir('layers');
    for (const [file, text] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const config = path.join(repoRoot, '.dependency-cruiser.cjs');
    const depcruise = path.join(repoRoot, 'node_modules', '.bin', 'depcruise');
    const run = spawnSync(depcruise, ['--config', config, '--output-type', 'json', 'protocol', 'server', 'extension', 'webview', 'test'], {
      cwd: dir,
      encoding: 'utf8',
    });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(run.status, 0, run.stderr); // The JSON reporter exits 0; the default one (npm run lint) exits with the error count.
    const { summary } = JSON.parse(run.stdout) as {
      summary: { error: number; violations: Violation[]; ruleSetUsed: { forbidden: Array<{ name: string }> } };
    };
    const found = summary.violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`).sort();
    assert.deepEqual(found, [...EXPECTED].sort());
    assert.equal(summary.error, EXPECTED.length);
    // Every rule in the config is exercised.
    assert.deepEqual(new Set(summary.ruleSetUsed.forbidden.map((r) => r.name)), new Set(summary.violations.map((v) => v.rule.name)));
  });
});
