/**
 * A real JSON-RPC client for `node dist/server.js --stdio`, as any LSP
 * client would drive it. Used by the LSP tests and by the benchmark.
 */
import * as cp from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  LogMessageNotification,
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  TextDocumentContentChangeEvent,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver-protocol';
import {
  InterpreterStatus,
  InterpreterStatusNotification,
  PrecompiledNotification,
  PrecompiledParams,
  type RunParams,
  RunRequest,
  type RunResult,
  ServerSettings,
} from '../../protocol';
import { waitFor } from './deadline';
import { repoRoot } from './pythons';

export const serverPath = path.join(repoRoot, 'dist', 'server.js');

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly statuses: InterpreterStatus[] = [];
  readonly precompiled: PrecompiledParams[] = [];
  readonly log: string[] = [];
  private readonly versions = new Map<string, number>();
  private exited = false;

  private constructor(readonly process: cp.ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => void this.diagnostics.set(p.uri, p));
    this.connection.onNotification(InterpreterStatusNotification.type, (s) => void this.statuses.push(s));
    this.connection.onNotification(PrecompiledNotification.type, (p) => void this.precompiled.push(p));
    this.connection.onNotification(LogMessageNotification.type, (p) => void this.log.push(p.message));
    process.stderr!.setEncoding('utf8').on('data', (d: string) => this.log.push(d));
    process.on('exit', () => (this.exited = true));
    this.connection.listen();
  }

  /** `workspaceFolder`: a folder path the client opened (the static MRO looks for imports there). */
  static async start(
    settings: ServerSettings,
    env: NodeJS.ProcessEnv = {},
    workspaceFolder?: string,
  ): Promise<{ client: LspClient; init: InitializeResult }> {
    // e.g. PYINTERNALS_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
    const nodeArgs = (process.env.PYINTERNALS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = cp.spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...env } });
    const client = new LspClient(proc);
    const init = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      ...(workspaceFolder ? { workspaceFolders: [{ uri: pathToFileURL(workspaceFolder).toString(), name: 'workspace' }] } : {}),
      capabilities: {},
      initializationOptions: settings,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, init };
  }

  /** The status the server settles on after `initialized` (or after a settings change). */
  async status(after = 0): Promise<InterpreterStatus> {
    await waitFor(() => this.statuses.length > after, 'an interpreter status notification', 30_000);
    return this.statuses[this.statuses.length - 1]!;
  }

  async open(file: string, text: string): Promise<string> {
    const uri = pathToFileURL(file).toString();
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text },
    });
    return uri;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  /** Waits for diagnostics of at least `version` for `uri`. */
  async diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    await waitFor(() => (this.diagnostics.get(uri)?.version ?? -1) >= version, `diagnostics for ${uri} v${version}`, 30_000);
    return this.diagnostics.get(uri)!;
  }

  /** Waits until the server has precompiled `uri` at `version` (or later). */
  async precompiledFor(uri: string, version: number, timeoutMs = 60_000): Promise<PrecompiledParams> {
    const found = () => this.precompiled.find((p) => p.uri === uri && p.version >= version);
    await waitFor(() => !!found(), `precompile of ${uri} v${version}`, timeoutMs);
    return found()!;
  }

  /** The server's child processes (its CPython workers). */
  childPids(): number[] {
    let out: string;
    try {
      out = cp.execFileSync('ps', ['-o', 'pid=', '--ppid', String(this.process.pid)], { encoding: 'utf8' });
    } catch (err) {
      // ps exits with 1, printing nothing, when no process matches.
      if ((err as { status?: number; stdout?: string }).status === 1 && !(err as { stdout?: string }).stdout?.trim()) return [];
      throw err;
    }
    return out
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  }

  async stop(): Promise<number | null> {
    if (this.exited) return this.process.exitCode;
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill('SIGKILL');
    }
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    if (!this.exited) this.process.kill('SIGKILL');
    this.connection.dispose();
    return code;
  }
}

export function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if ('kind' in contents) return contents.value;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}

/**
 * One real run of `file` (already written) under a runtime view, through a
 * fresh server with a trusted-workspace setting: what a report page shows.
 */
export async function runOnce(
  interpreterPath: string,
  file: string,
  text: string,
  params: Omit<RunParams, 'textDocument' | 'runId'>,
  runtime: ServerSettings['runtime'] = {},
): Promise<RunResult> {
  const { client } = await LspClient.start({ interpreterPath, precompile: { enabled: false }, runtime: { trusted: true, ...runtime } });
  try {
    const uri = await client.open(file, text);
    return await client.connection.sendRequest(RunRequest.type, { textDocument: { uri }, runId: 'once', ...params });
  } finally {
    await client.stop();
  }
}
