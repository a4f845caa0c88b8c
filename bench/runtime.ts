/**
 * The runtime lab's numbers: what the GC report's instrumentation costs over
 * a plain `python file.py` of the same script (runs taking turns, so the
 * machine's noise weighs on both alike), and the time from the request to the
 * report painted in the panel's page (headless Chromium).
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type InterpreterInfo, RunRequest, RuntimeReportNotification } from '../protocol';
import { runScript } from '../server/runtime/runner';
import { launchBrowser } from '../test/e2e/codeServer';
import { waitFor } from '../test/helpers/deadline';
import { CYCLES_SCRIPT } from '../test/helpers/fixtures';
import { LspClient } from '../test/helpers/lspClient';
import { PanelPage } from '../test/webview/harness';

/** Allocation churn: 600,000 objects in two-object cycles, with JSON work between them. */
const CHURN = `import json
class Node:
    __slots__ = ("partner", "payload")
    def __init__(self, payload):
        self.partner = None
        self.payload = payload
def churn(n):
    total = 0
    for i in range(n):
        a, b = Node([i]), Node({"i": i})
        a.partner, b.partner = b, a
        total += len(json.dumps({"k": i, "v": [i, i + 1]}))
    return total
print(churn(300_000))
`;

/** Import-heavy: a dozen standard-library packages and what they import (about 200 modules). */
const HEAVY_IMPORTS = `import argparse, csv, decimal, email.message, http.client, json, logging, pathlib, subprocess, typing, urllib.request, xml.etree.ElementTree, zipfile
import sys
print(len(sys.modules))
`;

export interface RuntimeTimes {
  plain: number[];
  gc: number[];
  /** The import-heavy script: plain, and one run of the import trace (its instrumentation: -X importtime and the observer). */
  importsPlain: number[];
  imports: number[];
  /** LSP request sent → report painted in the page. */
  firstChart: number[];
}

interface Mark {
  name: string;
  t: number;
}

export async function runtimeTimes(python: InterpreterInfo, dir: string, repeats: number): Promise<RuntimeTimes> {
  const churn = path.join(dir, 'churn.py');
  fs.writeFileSync(churn, CHURN);
  const plain: number[] = [];
  const gc: number[] = [];
  for (let i = 0; i < repeats; i++) {
    let t0 = performance.now();
    cp.execFileSync(python.executable, [churn], { cwd: dir, stdio: 'ignore' });
    plain.push(performance.now() - t0);
    t0 = performance.now();
    const outcome = await runScript({ python, script: churn, cwd: dir, args: [], view: 'gc', timeoutMs: 120_000, memoryMb: 4096 });
    if (outcome.exit.status !== 0) throw new Error(`the GC run failed: ${JSON.stringify(outcome.exit)} ${outcome.problems.join('; ')}`);
    gc.push(performance.now() - t0);
  }

  const heavy = path.join(dir, 'heavy_imports.py');
  fs.writeFileSync(heavy, HEAVY_IMPORTS);
  const importsPlain: number[] = [];
  const imports: number[] = [];
  for (let i = 0; i < repeats * 2; i++) {
    let t0 = performance.now();
    cp.execFileSync(python.executable, [heavy], { cwd: dir, stdio: 'ignore' });
    importsPlain.push(performance.now() - t0);
    t0 = performance.now();
    const outcome = await runScript({ python, script: heavy, cwd: dir, args: [], view: 'imports', timeoutMs: 60_000, memoryMb: 4096 });
    if (outcome.exit.status !== 0) throw new Error(`the import trace run failed: ${JSON.stringify(outcome.exit)}`);
    imports.push(performance.now() - t0);
  }

  const cycles = path.join(dir, 'cycles.py');
  fs.writeFileSync(cycles, CYCLES_SCRIPT);
  const { client } = await LspClient.start({
    interpreterPath: python.executable,
    precompile: { enabled: false },
    diagnostics: { enabled: false },
    runtime: { trusted: true },
  });
  const browser = await launchBrowser();
  const firstChart: number[] = [];
  try {
    const uri = await client.open(cycles, CYCLES_SCRIPT);
    const page = await PanelPage.open(browser, 'gc.js', () => undefined);
    await page.nextNotification('panel/ready');
    const marks = () =>
      page.page.evaluate(() => (globalThis as unknown as { __pythonInternalsMetrics: Mark[] }).__pythonInternalsMetrics.slice());
    for (let i = 0; i < repeats; i++) {
      const before = (await marks()).length;
      const t0 = performance.now();
      const result = await client.connection.sendRequest(RunRequest.type, { textDocument: { uri }, view: 'gc', runId: `bench-${i}` });
      const sent = performance.now();
      await page.notify(RuntimeReportNotification.type.method, { result, fileName: 'cycles.py' });
      // The page's own clock from the report's arrival to its paint, added to the run's time.
      const painted = await waitFor(
        async () => {
          const all = (await marks()).slice(before);
          const got = all.find((m) => m.name === 'data:gc');
          const paint = all.find((m) => m.name === 'paint:gc');
          return got && paint ? paint.t - got.t : undefined;
        },
        'the report painted',
        30_000,
      );
      firstChart.push(sent - t0 + painted);
    }
    await page.close();
  } finally {
    await browser.close();
    await client.stop();
  }
  return { plain, gc, importsPlain, imports, firstChart };
}
