/**
 * The server's own requests (protocol/lsp.ts, pipeline.ts, bytecode.ts,
 * mro.ts, runtime.ts), answered from the services; and how any request
 * answers a failure.
 */
import { CancellationToken, type Connection, LSPErrorCodes, RequestHandler, RequestType, ResponseError } from 'vscode-languageserver/node';
import {
  AstDumpRequest,
  BytecodeListingRequest,
  CodeObjectRequest,
  CodeObjectsRequest,
  LineBytecodeRequest,
  ListInterpretersRequest,
  MroRequest,
  PipelineRequest,
  RunOutputNotification,
  RunRequest,
} from '../protocol';
import type { Logger } from './common/logger';
import { UserError } from './common/userError';
import { chooseInterpreter } from './cpython/choice';
import { discoverInterpreters } from './cpython/interpreter';
import { bundledInterpreter } from './cpython/wasm';
import { WorkerError } from './cpython/worker';
import type { ParsedDocument } from './documents/documents';
import { assertTrusted, runDocument } from './runtime/service';
import type { Services } from './services';

export function registerRequests(connection: Connection, s: Services): void {
  const { session, bytecode, pipeline, explorer, mro } = s;
  const log = s.host.log;

  /**
   * A request about an open document: answered by `handle`, or with a failure
   * that says why (not open; CPython's or the worker's own readable errors).
   */
  function onDocumentRequest<P extends { textDocument: { uri: string } }, R>(
    type: RequestType<P, R, void>,
    handle: (doc: ParsedDocument, params: P, token: CancellationToken) => Promise<R>,
  ): void {
    // (R stays generic here; each call site is typed by its request's own R.)
    const handler: RequestHandler<P, unknown, void> = async (params, token) => {
      const doc = s.documents.get(params.textDocument.uri);
      if (!doc) return new ResponseError(LSPErrorCodes.RequestFailed, `Not an open document: ${params.textDocument.uri}`);
      try {
        return await handle(doc, params, token);
      } catch (err) {
        return failure(err, log, (message) => new ResponseError<void>(LSPErrorCodes.RequestFailed, message));
      }
    };
    connection.onRequest(type as unknown as RequestType<P, unknown, void>, handler);
  }

  /** The session's interpreter, or the one a panel's request names. */
  const requestedInterpreter = (params: { interpreterPath?: string }) => () =>
    chooseInterpreter(() => session.interpreter(), params.interpreterPath);

  onDocumentRequest(LineBytecodeRequest.type, async (doc, params, token) =>
    bytecode.lineBytecode(await session.interpreter(), doc, params.position, token),
  );

  onDocumentRequest(BytecodeListingRequest.type, async (doc, params, token) =>
    bytecode.listing(await session.interpreter(), doc, params.line, token),
  );

  onDocumentRequest(PipelineRequest.type, (doc, params, token) => pipeline.stage(doc, params.stage, requestedInterpreter(params), token));

  onDocumentRequest(AstDumpRequest.type, (doc, params, token) =>
    pipeline.astDump(doc, params.stage, params.node, params.version, requestedInterpreter(params), token),
  );

  onDocumentRequest(CodeObjectsRequest.type, (doc, params, token) =>
    explorer.codeObjects(doc, requestedInterpreter(params), params.optimize ?? 0, token),
  );

  onDocumentRequest(CodeObjectRequest.type, (doc, params, token) =>
    explorer.codeObject(doc, params.path, requestedInterpreter(params), params.optimize ?? 0, token),
  );

  onDocumentRequest(MroRequest.type, async (doc, params) => mro.request(doc, params));

  onDocumentRequest(RunRequest.type, async (doc, params, token) => {
    // Trust first: choosing an interpreter the request names runs it (to probe it).
    assertTrusted(session.runtimeTrusted);
    const python = await requestedInterpreter(params)();
    const limits = {
      trusted: session.runtimeTrusted,
      timeoutMs: session.runtimeTimeoutMs,
      memoryMb: session.runtimeMemoryMb,
      importRuns: session.runtimeImportRuns,
    };
    const output = (stream: 'stdout' | 'stderr', text: string) =>
      void connection.sendNotification(RunOutputNotification.type, { runId: params.runId, stream, text });
    // The MRO view imports the module as the workspace names it (no `__main__` block runs).
    const importedAs = params.view === 'mro' ? mro.importedAs(doc) : undefined;
    return runDocument(doc, params, python, limits, output, token, importedAs);
  });

  // This machine's, then the bundled CPython in WebAssembly.
  connection.onRequest(ListInterpretersRequest.type, async () => [
    ...(await discoverInterpreters()),
    ...[bundledInterpreter()].filter((i) => !!i),
  ]);
}

/** Expected failures (a UserError) become a user-facing answer; cancellation and bugs become LSP errors. */
export function failure<T>(err: unknown, log: Logger, answer: (message: string) => T): T | ResponseError<void> {
  if (err instanceof WorkerError && err.reason === 'cancelled') {
    return new ResponseError(LSPErrorCodes.RequestCancelled, err.message);
  }
  if (err instanceof UserError) return answer(err.message);
  log.error(`Request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new ResponseError(LSPErrorCodes.RequestFailed, err instanceof Error ? err.message : String(err));
}
