/**
 * Starting, stopping and restarting the language server (dist/server.js, run
 * as its own Node process over stdio). Restarts are serialized: one in flight,
 * and at most one more queued behind it.
 */
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  InterpreterStatus,
  InterpreterStatusNotification,
  OPEN_BYTECODE_PANEL_COMMAND,
  OPEN_MRO_PANEL_COMMAND,
  PrecompiledNotification,
  ServerSettings,
  SHOW_BYTECODE_COMMAND,
} from '../protocol';

export class ServerController implements vscode.Disposable {
  private current: LanguageClient | undefined;
  private pending: Promise<void> | undefined;
  private queued = false;
  /** Python files of the workspace changing on disk (one watcher for every server started). */
  private readonly pythonFiles = vscode.workspace.createFileSystemWatcher('**/*.py');

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => Promise<ServerSettings>,
    private readonly onStatus: (status: InterpreterStatus | undefined) => void,
  ) {}

  /**
   * The client, started first if it is not running (never started, stopped,
   * or given up after crashing): commands and panels may ask before any
   * Python file opened. Rejects when the server does not start.
   */
  async started(): Promise<LanguageClient> {
    await this.pending;
    if (!isUp(this.current)) await this.restart();
    const client = this.current;
    if (!isUp(client)) throw new Error('The Python Internals server is not running.');
    return client;
  }

  /** Start, or restart when running. Calls made during a restart collapse into one more. */
  restart(): Promise<void> {
    if (this.pending) {
      this.queued = true;
      return this.pending;
    }
    this.pending = (async () => {
      try {
        do {
          this.queued = false;
          await this.stop();
          await this.start();
        } while (this.queued);
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  async pushSettings(): Promise<void> {
    await this.current?.sendNotification(DidChangeConfigurationNotification.type, { settings: { pythonInternals: await this.settings() } });
  }

  private async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
      ],
      initializationOptions: await this.settings(),
      outputChannel: this.log,
      // Hover links run only these commands; nothing else in server Markdown is trusted.
      markdown: {
        isTrusted: { enabledCommands: [SHOW_BYTECODE_COMMAND, OPEN_BYTECODE_PANEL_COMMAND, OPEN_MRO_PANEL_COMMAND] },
        supportHtml: false,
      },
      // The static MRO reads other modules of the workspace from disk: tell the server when they change.
      synchronize: { fileEvents: this.pythonFiles },
    };
    const client = new LanguageClient('pythonInternals', 'Python Internals', serverOptions, clientOptions);
    client.onNotification(InterpreterStatusNotification.type, (status) => this.onStatus(status));
    client.onNotification(PrecompiledNotification.type, (p) =>
      this.log.debug(`Precompiled ${p.compiled} of ${p.functions} functions in ${p.uri} (version ${p.version}) in ${p.ms} ms`),
    );
    this.current = client;
    await client.start();
  }

  private async stop(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    this.onStatus(undefined);
    if (client) await client.stop().catch((err) => this.log.warn(`Stopping the server: ${String(err)}`));
  }

  dispose(): void {
    void this.stop();
    this.pythonFiles.dispose();
  }
}

/** Running, or starting (a request then waits for it). */
function isUp(client: LanguageClient | undefined): client is LanguageClient {
  return client?.state === State.Running || client?.state === State.Starting;
}
