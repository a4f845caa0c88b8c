/**
 * vscode-jsonrpc over a webview's `postMessage`: the extension side of the
 * typed panel messages in protocol/webview.ts (the webview side is
 * webview/shared/messaging.ts). The same library the language client uses,
 * so a panel gets requests with answers, notifications and cancellation, with
 * `connection.sendRequest(Type, params)` call sites like LSP's.
 */
import type * as vscode from 'vscode';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  createMessageConnection,
  DataCallback,
  Disposable,
  Message,
  MessageConnection,
} from 'vscode-jsonrpc/node';

/** What the connection needs of a webview (a test gives it a stand-in). */
export type WebviewChannel = Pick<vscode.Webview, 'onDidReceiveMessage' | 'postMessage'>;

class WebviewReader extends AbstractMessageReader {
  constructor(private readonly webview: WebviewChannel) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    return this.webview.onDidReceiveMessage((data: unknown) => {
      // Only JSON-RPC messages; anything else is not ours to read.
      if (data && typeof data === 'object' && (data as { jsonrpc?: unknown }).jsonrpc === '2.0') callback(data as Message);
    });
  }
}

class WebviewWriter extends AbstractMessageWriter {
  constructor(private readonly webview: WebviewChannel) {
    super();
  }

  async write(msg: Message): Promise<void> {
    // False when the panel is gone or hidden without retainContextWhenHidden; the page asks again when it is back.
    await this.webview.postMessage(msg);
  }

  end(): void {}
}

export function webviewConnection(webview: WebviewChannel): MessageConnection {
  const connection = createMessageConnection(new WebviewReader(webview), new WebviewWriter(webview));
  connection.listen();
  return connection;
}
