/**
 * The static MRO's numbers on the 16k-line file: code lenses (every class
 * linearized) after a one-line edit, measured as a client sees them (the
 * change sent, then the lens request answered), through a real JSON-RPC
 * client against the server; and the first lenses after open (every chunk
 * read).
 */
import { performance } from 'node:perf_hooks';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol';
import type { InterpreterInfo } from '../protocol';
import { LspClient } from '../test/helpers/lspClient';

export interface MroTimes {
  classes: number;
  open: number;
  /** A comment line inserted at a top-level statement: one chunk read again, every class linearized. */
  afterEdit: number[];
  /** A class statement's bases changed (`, object` added before its `)`). */
  afterBaseEdit: number[];
}

export async function mroTimes(
  python: InterpreterInfo,
  file: string,
  text: string,
  edits: number,
  random: () => number,
  topLevelStarts: number[],
): Promise<MroTimes> {
  const { client } = await LspClient.start({
    interpreterPath: python.executable,
    precompile: { enabled: false },
    diagnostics: { enabled: false },
  });
  try {
    const uri = await client.open(file, text);
    const lenses = () => client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as Promise<CodeLens[]>;
    // The bench's own copy of the text, edited as the server's is.
    const lines = text.split('\n');
    let t0 = performance.now();
    const first = await lenses();
    const open = performance.now() - t0;
    const afterEdit: number[] = [];
    let inserted = 0;
    for (let i = 0; i < edits; i++) {
      // The statement's start as it is now: the comments inserted above it moved it down.
      const start = topLevelStarts[Math.floor(random() * topLevelStarts.length)]!;
      const line = start + inserted;
      const comment = `# mro edit ${i}`;
      t0 = performance.now();
      await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `${comment}\n` }]);
      const got = await lenses();
      afterEdit.push(performance.now() - t0);
      lines.splice(line, 0, comment);
      inserted++;
      if (got.length !== first.length) throw new Error(`lenses: ${got.length}, expected ${first.length}`);
    }
    const afterBaseEdit: number[] = [];
    const classRows = (await lenses()).map((l) => l.range.start.line).filter((row) => lines[row]?.trimEnd().endsWith('):'));
    for (let i = 0; i < Math.min(edits, 20) && classRows.length; i++) {
      const row = classRows[Math.floor(random() * classRows.length)]!;
      const at = lines[row]!.trimEnd().length - 2;
      t0 = performance.now();
      await client.change(uri, [{ range: { start: { line: row, character: at }, end: { line: row, character: at } }, text: ', object' }]);
      await lenses();
      afterBaseEdit.push(performance.now() - t0);
      await client.change(uri, [
        { range: { start: { line: row, character: at }, end: { line: row, character: at + ', object'.length } }, text: '' },
      ]);
    }
    return { classes: first.length, open, afterEdit, afterBaseEdit };
  } finally {
    await client.stop();
  }
}
