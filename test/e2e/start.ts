/**
 * `npm start`: try the extension without VS Code desktop. Installs the freshly
 * packaged VSIX into the cached code-server (a real VS Code workbench served to
 * a browser), opens examples/ in it, and prints the local URL. Ctrl+C stops it.
 *
 *   PYINTERNALS_PORT=8080 (default; a free port when taken)
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot } from '../helpers/pythons';
import { freePort, installVsix, startCodeServer } from './codeServer';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const vsix = path.join(repoRoot, 'python-internals.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" (npm start does).`);
  // A profile of its own, kept between runs (settings and state survive), under .cache/.
  const profile = path.join(repoRoot, '.cache', 'try-it');
  const userDataDir = path.join(profile, 'user-data');
  const extensionsDir = path.join(profile, 'extensions');
  await installVsix(vsix, extensionsDir, userDataDir);
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const wanted = Number(process.env.PYINTERNALS_PORT ?? 8080);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer({
    folder: path.join(repoRoot, 'examples'),
    userDataDir,
    extensionsDir,
    port,
    // The examples folder is ours: no trust prompt. First run only, so the user's changes stay.
    disableWorkspaceTrust: true,
    ...(fs.existsSync(settingsFile)
      ? {}
      : { settings: { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false } }),
  });
  console.log(`\nPython Internals is running in code-server (a VS Code workbench in the browser).`);
  console.log(
    `Open ${server.url} and then examples/shapes.py; hover any line, or run "Python Internals: Show AST" or "Show Bytecode Panel" (icons in the editor title bar); ` +
      'in examples/birds.py, click the "MRO: …" lens above a class for the MRO panel; ' +
      `"GC Report", "Trace Imports" and "Inspect Objects" run the file once you trust the folder.`,
  );
  console.log('Ctrl+C stops it.\n');
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
