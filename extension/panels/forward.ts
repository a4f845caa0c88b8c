/**
 * The one path a panel's request takes to the language server: the started
 * client (`ctx.client()`), the request sent with the page's cancellation
 * token (a page that cancels its request, because a newer one superseded it,
 * cancels the server's work too), and the answer in the one shape every page
 * reads (`Answer` in protocol/webview.ts).
 *
 * No `vscode` import: test/integration/panelCancel.test.ts drives this path
 * from a page's connection into the real server.
 */
import type { CancellationToken, RequestType } from 'vscode-jsonrpc';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import { type Answer, answered, failed } from '../../protocol';

/** What a panel needs of the language client (a LanguageClient, or a test's connection). */
export interface ServerRequester {
  sendRequest<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R>;
}

/** Ask the server, started first if need be; the value, or why there is none. */
export async function forward<P, R>(
  client: () => Promise<ServerRequester>,
  type: RequestType<P, R, void>,
  params: P,
  token?: CancellationToken,
): Promise<Answer<R>> {
  return answerOf(async () => (await client()).sendRequest(type, params, token));
}

/** `work`'s value, or its error as the page shows it (the server's own message, or that it was cancelled). */
export async function answerOf<R>(work: () => Promise<R>): Promise<Answer<R>> {
  try {
    return answered(await work());
  } catch (err) {
    // A ResponseError by its code (the client's copy of the class need not be ours).
    if ((err as { code?: unknown } | undefined)?.code === LSPErrorCodes.RequestCancelled)
      return failed('cancelled', 'The request was cancelled.');
    return failed('server', err instanceof Error ? err.message : String(err));
  }
}
