import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ParsedDocument } from '../server/documents';
import { createParser } from '../server/parser';
async function main() {
  const parser = await createParser();
  for (const f of ['/tmp/corpus_1k.py', '/tmp/corpus_18k.py', '/tmp/corpus_1k.py', '/tmp/corpus_18k.py']) {
  const text = fs.readFileSync(f, 'utf8');
  const doc = new ParsedDocument(parser, 'file:///x.py', 1, text);
  const ch = (doc as any).chunks; const lt = (doc as any).document;
  let reads = 0, chars = 0, readMs = 0;
  const origRead = ch.read;
  ch.read = (i: number) => { const t = performance.now(); reads++; const s = origRead(i); chars += s.length; readMs += performance.now() - t; return s; };
  const tops: number[] = []; text.split('\n').forEach((l, i) => { if (/^(def|class) /.test(l)) tops.push(i); });
  const d: number[] = [], r: number[] = [], c: number[] = [], rm: number[] = [];
  for (let i = 0; i < 400; i++) {
    const row = tops[(i * 7919) % tops.length]!;
    const range = { start: { line: row, character: 0 }, end: { line: row, character: 0 } };
    const edit = (doc as any).editFor(range, `# e${i}\n`);
    ch.edit(edit); lt.replace(range, `# e${i}\n`);
    reads = 0; chars = 0; readMs = 0;
    const t3 = performance.now(); ch.reparse(); const t4 = performance.now();
    d.push(t4 - t3); r.push(reads); c.push(chars); rm.push(readMs);
    for (let k = 0; k < tops.length; k++) if (tops[k]! >= row) tops[k]!++;
  }
  const p = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1]!.toFixed(3);
  console.log(f, 'reparse', p(d), 'reads', p(r), 'chars', p(c), 'read ms', p(rm));
  }
}
main();
