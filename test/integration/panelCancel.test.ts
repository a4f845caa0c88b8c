/**
 * A page's cancelled request reaches the language server as a cancellation.
 *
 * The extension's side is the real one: its webview connection
 * (extension/panels/messaging.ts) over a stand-in for `vscode.Webview`, and
 * the one forwarding path (extension/panels/forward.ts) into a real
 * `node dist/server.js --stdio`, as the AST panel forwards a stage. The page
 * is a vscode-jsonrpc connection over the same postMessage channel (what
 * webview/shared/messaging.ts is in the browser). Every message between the
 * extension and the server is recorded on the wire.
 */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  CancellationTokenSource,
  createMessageConnection,
  type DataCallback,
  type Disposable,
  Emitter,
  type Message,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import {
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  LSPErrorCodes,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol';
import { type Answer, PipelineRequest, type PipelineResult, StageRequest } from '../../protocol';
import { forward } from '../../extension/panels/forward';
import { webviewConnection } from '../../extension/panels/messaging';
import { waitFor } from '../helpers/deadline';
import { serverPath } from '../helpers/lspClient';
import { tempDir, testPythons } from '../helpers/pythons';

interface WireMessage {
  id?: number | string;
  method?: string;
  params?: { id?: number | string };
  error?: { code: number; message: string };
}

/** A reader that records every message the server sends. */
class RecordingReader extends StreamMessageReader {
  constructor(
    stream: NodeJS.ReadableStream,
    private readonly seen: WireMessage[],
  ) {
    super(stream);
  }

  override listen(callback: DataCallback): Disposable {
    return super.listen((message) => {
      this.seen.push(message as WireMessage);
      callback(message);
    });
  }
}

/** A writer that records every message sent to the server. */
class RecordingWriter extends StreamMessageWriter {
  constructor(
    stream: NodeJS.WritableStream,
    private readonly sent: WireMessage[],
  ) {
    super(stream);
  }

  override write(message: Message): Promise<void> {
    this.sent.push(message as WireMessage);
    return super.write(message);
  }
}

/** The page's end of postMessage: what the webview's window receives, and what it posts. */
class PageReader extends AbstractMessageReader {
  constructor(private readonly toPage: Emitter<unknown>) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    return this.toPage.event((data) => callback(data as Message));
  }
}

class PageWriter extends AbstractMessageWriter {
  constructor(private readonly toExtension: Emitter<unknown>) {
    super();
  }

  async write(message: Message): Promise<void> {
    // postMessage copies what it carries.
    this.toExtension.fire(structuredClone(message));
  }

  end(): void {}
}

describe('a page’s cancelled request reaches the language server (extension forwarding, real server)', function () {
  const dir = tempDir('panel-cancel');
  const toServer: WireMessage[] = [];
  const fromServer: WireMessage[] = [];
  let server: cp.ChildProcess;
  let connection: MessageConnection;
  let page: MessageConnection;
  let extension: MessageConnection;
  let uri: string;

  before(async () => {
    const python = (await testPythons())[0]!;
    server = cp.spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    connection = createMessageConnection(new RecordingReader(server.stdout!, fromServer), new RecordingWriter(server.stdin!, toServer));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      // The panel's request alone: no background compiles.
      initializationOptions: { interpreterPath: python.requested, precompile: { enabled: false }, diagnostics: { enabled: false } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    // Big enough that CPython is still building its AST (a fresh worker starting first) when the cancellation comes.
    const text = Array.from({ length: 3000 }, (_, i) => `def f${i}(a, b=${i}):\n    return [a * x for x in range(b)]\n\n`).join('');
    const file = path.join(dir, 'big.py');
    fs.writeFileSync(file, text);
    uri = pathToFileURL(file).toString();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text },
    });

    // The webview: a stand-in for vscode.Webview's postMessage channel, both ways.
    const toExtension = new Emitter<unknown>();
    const toPage = new Emitter<unknown>();
    extension = webviewConnection({
      onDidReceiveMessage: toExtension.event,
      postMessage: async (message: unknown) => {
        toPage.fire(structuredClone(message));
        return true;
      },
    });
    // What the AST panel does with a stage request (pipelinePanel.ts).
    extension.onRequest(StageRequest.type, ({ stage }, token) =>
      forward(async () => connection, PipelineRequest.type, { textDocument: { uri }, stage }, token),
    );
    page = createMessageConnection(new PageReader(toPage), new PageWriter(toExtension));
    page.listen();
  });

  after(async () => {
    page?.dispose();
    extension?.dispose();
    if (connection) {
      await connection.sendRequest(ShutdownRequest.type).catch(() => {});
      await connection.sendNotification(ExitNotification.type).catch(() => {});
      connection.dispose();
    }
    server?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the forwarded request is cancelled at the server, which answers RequestCancelled; the same request uncancelled is answered', async () => {
    const asked = toServer.length;
    const source = new CancellationTokenSource();
    const answer = page.sendRequest(StageRequest.type, { stage: 'ast', version: 1 }, source.token);
    // The extension forwarded it: now the page gives up on it (a newer version superseded it).
    const forwarded = await waitFor(
      () => toServer.slice(asked).find((m) => m.method === PipelineRequest.method && m.id !== undefined),
      'the stage request forwarded to the server',
    );
    source.cancel();

    const cancelled: Answer<PipelineResult> = await answer;
    assert.deepEqual(cancelled, { ok: false, error: { kind: 'cancelled', message: 'The request was cancelled.' } });
    assert.ok(
      toServer.some((m) => m.method === '$/cancelRequest' && m.params?.id === forwarded.id),
      'the extension sent $/cancelRequest for the forwarded request',
    );
    const reply = fromServer.find((m) => m.id === forwarded.id && m.method === undefined);
    assert.equal(reply?.error?.code, LSPErrorCodes.RequestCancelled, `the server's answer: ${JSON.stringify(reply)}`);

    // Not cancelled, the same request has its answer: the cancellation is what ended the first.
    const whole = await page.sendRequest(StageRequest.type, { stage: 'ast', version: 1 });
    assert.ok(whole.ok, JSON.stringify(whole));
    assert.equal(whole.value.uri, uri);
    assert.ok('data' in whole.value.result, 'the AST');
  });
});
