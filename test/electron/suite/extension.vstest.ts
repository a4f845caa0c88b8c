/** Runs inside VS Code desktop's extension host (see ../electron.test.ts). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Python Internals inside VS Code desktop', () => {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const shapes = vscode.Uri.joinPath(folder, 'shapes.py');

  it('hovers a line inside a function with its bytecode', async () => {
    const doc = await vscode.workspace.openTextDocument(shapes);
    await vscode.window.showTextDocument(doc);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('return math.pi'));
    const position = new vscode.Position(line, doc.lineAt(line).text.indexOf('math'));
    const text = await until('a bytecode hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', shapes, position);
      const t = hoverText(hovers ?? []);
      return /Circle\.area/.test(t) ? t : undefined;
    });
    assert.match(text, /LOAD_ATTR/);
    assert.match(text, new RegExp(`CPython ${process.env.PYINTERNALS_EXPECT_VERSION!.replace(/\./g, '\\.')}`));
  });

  it('opens the full listing in the python-bytecode language', async () => {
    await vscode.commands.executeCommand('pythonInternals.showBytecode');
    const listing = await until('the listing editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'python-bytecode'),
    );
    assert.match(listing.document.getText(), /Disassembly of Circle\.area/);
  });

  it('reports a syntax error as a diagnostic', async () => {
    const broken = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(:\n    pass\n' });
    await vscode.window.showTextDocument(broken);
    const diagnostics = await until('a syntax-error diagnostic', () => {
      const d = vscode.languages.getDiagnostics(broken.uri);
      return d.length ? d : undefined;
    });
    assert.equal(diagnostics[0]!.range.start.line, 0);
  });
});
