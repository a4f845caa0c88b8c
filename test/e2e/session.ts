/**
 * What every end-to-end suite shares: the packaged VSIX installed once per
 * suite, Chromium, a code-server session per test on a workspace of
 * fixtures (stopped after the test, with a screenshot and code-server's
 * output when it failed), and the fixtures themselves.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { InterpreterInfo } from '../../protocol';
import { CYCLES_SCRIPT, SPECIALIZE_SCRIPT, writeImportsWorkspace } from '../helpers/fixtures';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';
import { CodeServer, installVsix, launchBrowser, startCodeServer } from './codeServer';
import { Workbench } from './workbench';

const vsix = path.join(repoRoot, 'python-internals.vsix');
export const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
/** Where the docs' screenshots go: `npm run screenshots` sets it to docs/. */
export const screenshotDir = process.env.PYINTERNALS_SCREENSHOT_DIR ? path.resolve(process.env.PYINTERNALS_SCREENSHOT_DIR) : resultsDir;

/** Non-ASCII text before the code on the line of the augmented assignment. */
export const GREETINGS = `"""Columns stay exact after non-ASCII text."""


def greet(names):
    count = 0
    for name in names:
        print("héllo, 🐍 世界", name); count += 1
    return count
`;

/** An augmented assignment to an attribute, with non-ASCII text before it on the line; a try/except for the exception table. */
export const COUNTER = `class Counter:
    def __init__(self):
        self.x = 0

    def add(self, y):
        s = "é🐍 世界"; self.x += y
        try:
            return [v * 2 for v in range(y)]
        except ValueError:
            return None

    def bump(self):
        self.x += 1
`;

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

export interface Session {
  server: CodeServer;
  page: Page;
  wb: Workbench;
  metricsFile: string;
}

export interface Workbenches {
  /** The first CPython found: the interpreter the tests set. */
  readonly python: InterpreterInfo;
  /** A code-server on `folder` with our VSIX, and a page on it. */
  readonly open: (folder: string, options: { trust: boolean | 'ask'; settings?: object }) => Promise<Session>;
  /** A session ended before the test's end (a loop over themes or interpreters): the next one starts clean. */
  readonly closeSession: (session: Session) => Promise<void>;
}

/** Call in a `describe`: registers the suite's hooks (the VSIX installed, Chromium up; each test's sessions stopped after it). */
export function workbenches(): Workbenches {
  let browser: Browser | undefined;
  let extensionsDir = '';
  let python: InterpreterInfo | undefined;
  const sessions: Session[] = [];

  before(async function () {
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run "npm run package" first (npm run test:e2e does).`);
    fs.mkdirSync(resultsDir, { recursive: true });
    const pythons = await testPythons();
    python = pythons[0]!;
    extensionsDir = tempDir('e2e-ext');
    // Installed once, the way a user installs a VSIX.
    await installVsix(vsix, extensionsDir, tempDir('e2e-install'));
    const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith('python-internals.python-internals-'));
    assert.equal(installed.length, 1, `installed: ${fs.readdirSync(extensionsDir).join(', ')}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async function () {
    const failed = this.currentTest?.state === 'failed';
    for (const s of sessions.splice(0)) {
      if (failed) {
        const name = (this.currentTest?.title ?? 'failure').replace(/[^\w]+/g, '-').slice(0, 60);
        await s.page.screenshot({ path: path.join(resultsDir, `FAILED-${name}.png`) }).catch(() => {});
        console.log(`  screenshot: test-results/e2e/FAILED-${name}.png\n  code-server output (tail):\n${s.server.output().slice(-3000)}`);
      }
      await s.page.close().catch(() => {});
      await s.server.stop();
    }
  });

  return {
    get python() {
      if (!python) throw new Error('No CPython yet: the suite’s before hook has not run.');
      return python;
    },

    async open(folder, options) {
      if (!browser) throw new Error('No browser yet: the suite’s before hook has not run.');
      const userDataDir = tempDir('e2e-user');
      const metricsFile = path.join(userDataDir, 'metrics.jsonl');
      const server = await startCodeServer({
        folder,
        userDataDir,
        extensionsDir,
        disableWorkspaceTrust: options.trust === true,
        settings: { ...BASE_SETTINGS, ...options.settings },
        env: { PYINTERNALS_METRICS_FILE: metricsFile },
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const session = { server, page, wb: new Workbench(page), metricsFile };
      sessions.push(session);
      await page.goto(server.url);
      await session.wb.ready();
      return session;
    },

    async closeSession(session) {
      await session.page.close();
      await session.server.stop();
      sessions.splice(sessions.indexOf(session), 1);
    },
  };
}

/** For a picture: the side bar and the bottom panel out of the way. */
export async function editorAndPanelOnly({ wb, page }: Session): Promise<void> {
  await wb.runCommand('View: Toggle Primary Side Bar Visibility');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
  await wb.runCommand('View: Hide Panel');
}

export function fixture(): string {
  const dir = tempDir('e2e-ws');
  fs.copyFileSync(path.join(repoRoot, 'examples', 'shapes.py'), path.join(dir, 'shapes.py'));
  fs.writeFileSync(path.join(dir, 'broken.py'), 'def ok():\n    return 1\n\n\ndef broken(:\n    return 2\n');
  fs.writeFileSync(path.join(dir, 'greetings.py'), GREETINGS);
  fs.writeFileSync(path.join(dir, 'counter.py'), COUNTER);
  fs.writeFileSync(path.join(dir, 'cycles.py'), CYCLES_SCRIPT);
  fs.writeFileSync(path.join(dir, 'hot.py'), SPECIALIZE_SCRIPT);
  fs.copyFileSync(path.join(repoRoot, 'examples', 'birds.py'), path.join(dir, 'birds.py'));
  writeImportsWorkspace(dir);
  fs.writeFileSync(
    path.join(dir, 'objects.py'),
    ['a = b = c = []', 'n = 7', 'def f(x):', '    y = z = [x]', '    return y', 'f(3)', ''].join('\n'),
  );
  return dir;
}

/** A workspace whose code, and whose interpreter, record in `marker` that they ran. */
export function hostileFixture(marker: string, interpreter: string): string {
  const dir = fixture();
  const touch = `import pathlib; pathlib.Path(${JSON.stringify(marker)}).write_text(__name__)\n`;
  // Code that would run if anything imported or executed the workspace.
  for (const name of ['dis.py', 'ast.py', 'json.py', 'types.py', 'sitecustomize.py', 'usercustomize.py'])
    fs.writeFileSync(path.join(dir, name), touch);
  fs.writeFileSync(path.join(dir, 'shapes.py'), touch + fs.readFileSync(path.join(dir, 'shapes.py'), 'utf8'));
  // An interpreter the workspace offers: a script that records being run.
  const evil = path.join(dir, '.venv', 'bin', 'python');
  fs.mkdirSync(path.dirname(evil), { recursive: true });
  fs.writeFileSync(evil, `#!/bin/sh\necho "$@" > ${JSON.stringify(marker)}\nexec ${JSON.stringify(interpreter)} "$@"\n`, {
    mode: 0o755,
  });
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'pythonInternals.interpreterPath': evil }));
  return dir;
}

/** A panel's page: code-server nests each webview's content in an inner frame. */
export function astPanel(page: Page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}
