/**
 * The @vscode/test-electron suite: VS Code desktop with the extension loaded
 * from this checkout, running test/electron/suite/ inside its extension host.
 * Needs VS Code: $VSCODE_EXECUTABLE, or a download (internet). Where neither is
 * available it reports itself as skipped, with the reason; the code-server
 * suite (test/e2e) is the end-to-end suite CI runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';

/** The VS Code our engine allows (package.json engines.vscode ^1.100.0). */
const VSCODE_VERSION = '1.100.3';

describe('VS Code desktop (@vscode/test-electron)', function () {
  this.timeout(600_000);

  it('hovers, lists bytecode and reports syntax errors inside VS Code desktop', async function () {
    let executable = process.env.VSCODE_EXECUTABLE;
    if (!executable) {
      try {
        executable = await downloadAndUnzipVSCode({
          version: VSCODE_VERSION,
          timeout: 15_000,
          cachePath: path.join(repoRoot, '.cache', 'vscode-test'),
        });
      } catch (err) {
        console.log(
          `      skipped: VS Code desktop ${VSCODE_VERSION} cannot be downloaded here (${err instanceof Error ? err.message.split('\n')[0] : String(err)}) and VSCODE_EXECUTABLE is not set.`,
        );
        this.skip();
      }
    }
    if (!fs.existsSync(executable)) throw new Error(`VSCODE_EXECUTABLE=${executable} does not exist.`);
    const [python] = await testPythons();
    const workspace = tempDir('electron-ws');
    fs.copyFileSync(path.join(repoRoot, 'examples', 'shapes.py'), path.join(workspace, 'shapes.py'));
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'pythonInternals.interpreterPath': python!.requested }),
    );
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'electron', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', tempDir('electron-user')],
      extensionTestsEnv: { PYINTERNALS_EXPECT_VERSION: python!.versionText },
    });
  });
});
