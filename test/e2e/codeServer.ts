// code-server and headless Chromium for the end-to-end tests.
//
// code-server is installed by test/e2e/install-code-server.sh into
// $PYINTERNALS_CODE_SERVER_DIR (default <repo>/.cache/code-server); Chromium is
// Debian's /usr/bin/chromium, driven by playwright-core.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '../helpers/pythons';

export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function codeServerDir(): string {
  return process.env.PYINTERNALS_CODE_SERVER_DIR || path.join(repoRoot, '.cache', 'code-server');
}

export function codeServerBin(): string {
  return path.join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

/** Throws with a hint when install-code-server.sh has not run. */
function requireInstalled(): string {
  const bin = codeServerBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`code-server not found at ${bin}: run test/e2e/install-code-server.sh first`);
  }
  return bin;
}

/**
 * The environment code-server runs in. VSCODE_* variables from a VS Code
 * terminal (above all VSCODE_IPC_HOOK_CLI) make code-server hand its arguments
 * to that VS Code instead of starting; PORT would override --bind-addr; PASSWORD
 * and HASHED_PASSWORD do not matter with --auth none but are dropped too.
 */
function childEnv(port: number | undefined, extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    if (key === 'PORT' || key === 'PASSWORD' || key === 'HASHED_PASSWORD') continue;
    env[key] = value;
  }
  if (port !== undefined) env.PORT = String(port);
  return { ...env, ...extra };
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Is any process of the group led by `pid` still alive? */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export interface StartOptions {
  /** The folder the workbench opens. */
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  /** Default: a free port. */
  port?: number;
  /** Written as userDataDir/User/settings.json (replacing what is there). */
  settings?: object;
  /** Added to the environment of code-server (and so of the extension host). */
  env?: NodeJS.ProcessEnv;
  /** Pass --disable-workspace-trust: no trust dialog, every folder trusted. */
  disableWorkspaceTrust?: boolean;
  /** How long to wait for /healthz; default 60 s. */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** Opens `folder` in the workbench. */
  url: string;
  port: number;
  /** SIGTERM to the whole process group, SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** What code-server printed so far (stdout and stderr). */
  output(): string;
}

const MAX_OUTPUT = 1 << 20;

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const bin = requireInstalled();
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(opts.userDataDir, { recursive: true });
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  if (opts.settings) {
    const userDir = path.join(opts.userDataDir, 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(opts.settings, null, 2));
  }

  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    // Its own config file, so that ~/.config/code-server/config.yaml is neither read nor created.
    '--config',
    path.join(opts.userDataDir, 'code-server.yaml'),
    '--user-data-dir',
    opts.userDataDir,
    '--extensions-dir',
    opts.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--ignore-last-opened',
  ];
  if (opts.disableWorkspaceTrust) args.push('--disable-workspace-trust');

  let output = '';
  const append = (chunk: Buffer) => {
    if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
  };
  const child = cp.spawn(bin, args, {
    cwd: opts.folder,
    env: childEnv(port, opts.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    child.on('error', (err) => {
      exited = `spawn error: ${err.message}`;
      resolve();
    });
  });
  const pid = child.pid;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      // Wait for the leader and for its children (extension host, pty host, watchers).
      while (Date.now() < deadline && (exited === undefined || groupAlive(pid))) {
        await Promise.race([exit, sleep(100)]);
        if (exited !== undefined) await sleep(50);
      }
      if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
      await Promise.race([exit, sleep(2000)]);
    })();
    return stopping;
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`code-server exited (${exited}) before answering on ${base}/healthz:\n${output}`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        await res.text();
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${base}/healthz within ${opts.startTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await sleep(200);
  }

  return {
    url: `${base}/?folder=${encodeURIComponent(opts.folder)}`,
    port,
    stop,
    output: () => output,
  };
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = cp.spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', (err) => resolve({ code: null, output: output + err.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Install a .vsix into `extensionsDir` the way code-server does (works offline).
 * If that fails, unpack it by hand into the same layout: the vsix's `extension/`
 * folder becomes `extensionsDir/<publisher>.<name>-<version>/`, listed in
 * `extensionsDir/extensions.json`.
 */
export async function installVsix(vsixPath: string, extensionsDir: string, userDataDir: string): Promise<void> {
  const bin = requireInstalled();
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(userDataDir, { recursive: true });
  const res = await run(
    bin,
    [
      '--install-extension',
      path.resolve(vsixPath),
      '--force',
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--config',
      path.join(userDataDir, 'code-server.yaml'),
    ],
    childEnv(undefined, undefined),
  );
  if (res.code === 0 && /successfully installed/i.test(res.output)) return;
  try {
    await unpackVsix(vsixPath, extensionsDir);
  } catch (err) {
    throw new Error(
      `code-server --install-extension failed (exit ${res.code}):\n${res.output}\nunpacking by hand failed too: ${String(err)}`,
      { cause: err },
    );
  }
}

/** installVsix's fallback: unpack by hand into code-server's layout. */
export async function unpackVsix(vsixPath: string, extensionsDir: string): Promise<void> {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(extensionsDir, '.unpack-'));
  try {
    const res = await run('unzip', ['-q', '-o', path.resolve(vsixPath), 'extension/*', '-d', tmp]);
    if (res.code !== 0) throw new Error(`unzip failed: ${res.output}`);
    const src = path.join(tmp, 'extension');
    const manifest = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
    };
    const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
    const folder = `${id}-${manifest.version}`;
    const dest = path.join(extensionsDir, folder);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(src, dest);

    const listPath = path.join(extensionsDir, 'extensions.json');
    type Entry = { identifier: { id: string }; version: string; location: object; relativeLocation: string; metadata?: object };
    let list: Entry[] = [];
    try {
      list = JSON.parse(fs.readFileSync(listPath, 'utf8')) as Entry[];
    } catch {
      // none yet
    }
    list = list.filter((e) => e.identifier.id.toLowerCase() !== id);
    list.push({
      identifier: { id },
      version: manifest.version,
      location: { $mid: 1, path: dest, scheme: 'file' },
      relativeLocation: folder,
      metadata: { installedTimestamp: Date.now(), source: 'vsix' },
    });
    fs.writeFileSync(listPath, JSON.stringify(list));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Headless Debian Chromium, no network beyond what the page asks for. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}
