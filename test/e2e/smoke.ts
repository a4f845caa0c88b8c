// Smoke check of the code-server harness, run by hand (not part of `npm test`):
//   bash test/e2e/install-code-server.sh
//   npx esbuild test/e2e/smoke.ts --bundle --platform=node --format=cjs \
//     --external:playwright-core --outfile=out/e2e-smoke.js && node out/e2e-smoke.js
// Starts code-server on a temporary folder holding a.py, opens it in Chromium,
// opens a.py with Quick Open and saves a screenshot (default /tmp/e2e-smoke.png).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installVsix, launchBrowser, startCodeServer, unpackVsix } from './codeServer';

async function main(): Promise<void> {
  const shot = process.argv[2] ?? '/tmp/e2e-smoke.png';
  const vsix = process.env.SMOKE_VSIX;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pyinternals-e2e-'));
  const folder = path.join(root, 'workspace');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'a.py'), 'def greet(name):\n    return f"hello {name}"\n\nprint(greet("smoke"))\n');

  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (vsix) {
    if (process.env.SMOKE_UNPACK === '1') await unpackVsix(vsix, extensionsDir);
    else await installVsix(vsix, extensionsDir, userDataDir);
    console.log(`[smoke] installed ${vsix}: ${elapsed()}`);
  }
  const server = await startCodeServer({
    folder,
    userDataDir,
    extensionsDir,
    disableWorkspaceTrust: process.env.SMOKE_TRUST !== '1',
    settings: {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
    },
  });
  console.log(`[smoke] code-server healthy at ${server.url}: ${elapsed()}`);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    console.log(`[smoke] .monaco-workbench: ${elapsed()}`);
    // The explorer lists the folder once the workbench has connected to the server.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'a.py' }).waitFor({ timeout: 60_000 });
    console.log(`[smoke] explorer shows a.py: ${elapsed()}`);

    if (process.env.SMOKE_TRUST === '1') {
      // Workspace trust on: a modal dialog asks whether to trust the folder's authors.
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      console.log(`[smoke] trust dialog: ${elapsed()}: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);
      await page.screenshot({ path: shot.replace(/\.png$/, '-trust-dialog.png') });
      const trust = process.env.SMOKE_TRUST_ANSWER !== 'restricted';
      await dialog.getByRole('button', { name: trust ? /Yes, I trust/ : /No, I don't trust/ }).click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    }
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('a.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'a.py' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'hello' }).waitFor({ timeout: 30_000 });
    console.log(`[smoke] a.py open in the editor: ${elapsed()}`);
    await page.screenshot({ path: shot });
    console.log(`[smoke] screenshot ${shot}`);
  } finally {
    await browser.close();
    await server.stop();
    console.log(`[smoke] stopped: ${elapsed()}`);
    if (process.env.SMOKE_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
