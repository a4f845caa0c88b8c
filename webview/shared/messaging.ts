/**
 * vscode-jsonrpc over `postMessage`: the webview side of the typed panel
 * messages in protocol/webview.ts (the extension side is
 * extension/panels/messaging.ts).
 */
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  createMessageConnection,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageConnection,
} from 'vscode-jsonrpc/browser';
import { vscode } from './vscodeApi';

class WindowReader extends AbstractMessageReader {
  listen(callback: DataCallback): Disposable {
    const listener = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (data && typeof data === 'object' && (data as { jsonrpc?: unknown }).jsonrpc === '2.0') callback(data as Message);
    };
    window.addEventListener('message', listener);
    return { dispose: () => window.removeEventListener('message', listener) };
  }
}

class VsCodeWriter extends AbstractMessageWriter {
  async write(msg: Message): Promise<void> {
    vscode.postMessage(msg);
  }

  end(): void {}
}

export function extensionConnection(): MessageConnection {
  const connection = createMessageConnection(new WindowReader(), new VsCodeWriter());
  connection.listen();
  return connection;
}
