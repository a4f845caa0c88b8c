import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as common from '../../protocol/common';
import { repoRoot } from '../helpers/pythons';

describe('command ids', () => {
  it('protocol/common.ts declares exactly the commands package.json contributes, and menus name only those', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string }>> };
    };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    const declared = Object.entries(common)
      .filter(([name]) => name.endsWith('_COMMAND'))
      .map(([, id]) => id as string);
    assert.ok(declared.length > 0);
    assert.deepEqual([...declared].sort(), [...contributed].sort());
    const inMenus = Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.command));
    for (const id of inMenus) assert.ok(contributed.includes(id), `${id} is in a menu but not contributed`);
  });
});
