/**
 * The Python Internals language server. Runs under any LSP client:
 *   node dist/server.js --stdio
 * It never imports `vscode`; the VS Code extension starts it as a process.
 */
import {
  CancellationToken,
  createConnection,
  Hover,
  InitializeParams,
  InitializeResult,
  LSPErrorCodes,
  MarkupKind,
  ProposedFeatures,
  RequestHandler,
  RequestType,
  ResponseError,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import {
  AstDumpRequest,
  BytecodeListingRequest,
  CodeObjectRequest,
  CodeObjectsRequest,
  InterpreterStatusNotification,
  ListInterpretersRequest,
  LineBytecodeRequest,
  PipelineRequest,
  PrecompiledNotification,
  RunOutputNotification,
  RunRequest,
  ServerSettings,
} from '../protocol';
import { ExplorerError, ExplorerService } from './bytecode/explorer';
import { BytecodeError, BytecodeService } from './bytecode/service';
import { DiagnosticsScheduler } from './diagnostics/syntaxCheck';
import { DocumentStore, type ParsedDocument } from './documents/documents';
import { hoverMarkdown } from './bytecode/hover';
import { discoverInterpreters } from './cpython/interpreter';
import type { Logger } from './common/logger';
import { createParser } from './documents/parser';
import { WorkerPool } from './cpython/pool';
import { Precompiler } from './bytecode/precompile';
import { Session } from './cpython/session';
import { WorkerError } from './cpython/worker';
import { chooseInterpreter, InterpreterChoiceError } from './cpython/choice';
import { PipelineError, PipelineService } from './pipeline/service';
import { killAllRuns } from './runtime/runner';
import { assertTrusted, runDocument, RuntimeError } from './runtime/service';

const connection = createConnection(ProposedFeatures.all);

const log: Logger = {
  info: (m) => connection.console.info(m),
  warn: (m) => connection.console.warn(m),
  error: (m) => connection.console.error(m),
};

// A bug in one request must not take the server down.
// Runs of user code are process groups of their own: they must not outlive the server.
process.on('exit', () => killAllRuns());
process.on('uncaughtException', (err) => log.error(`Uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => log.error(`Unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));

const session = new Session(log, (status) => void connection.sendNotification(InterpreterStatusNotification.type, status));
const pool = new WorkerPool(log, session.requestTimeoutMs);
const service = new BytecodeService(pool);
const pipeline = new PipelineService(pool);
const explorer = new ExplorerService(pool);
let documents: DocumentStore | undefined;

const diagnostics = new DiagnosticsScheduler(
  pool,
  log,
  (uri, version, items) => void connection.sendDiagnostics({ uri, version, diagnostics: items }),
  (uri) => documents?.get(uri),
);

const precompiler = new Precompiler(
  pool,
  log,
  (params) => void connection.sendNotification(PrecompiledNotification.type, params),
  (uri) => documents?.get(uri),
);
/** After typing, wait for a pause before compiling the changed functions. */
const PRECOMPILE_AFTER_CHANGE_MS = 500;

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  documents = new DocumentStore(await createParser());
  applySettings((params.initializationOptions ?? {}) as ServerSettings);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
    },
    serverInfo: { name: 'python-internals', version: process.env.PYINTERNALS_VERSION ?? '0.1.0' },
  };
});

connection.onInitialized(() => {
  // Resolve now so the client's status bar fills in without waiting for a hover.
  void session.status();
});

connection.onDidChangeConfiguration((params) => {
  const settings = (params.settings as { pythonInternals?: ServerSettings } | undefined)?.pythonInternals;
  if (settings) applySettings(settings);
});

function applySettings(settings: ServerSettings): void {
  const interpreterChanged = session.update(settings);
  pool.setTimeout(session.requestTimeoutMs);
  if (interpreterChanged) {
    service.clear();
    void session.status();
  }
  for (const doc of documents?.all() ?? []) {
    if (interpreterChanged) scheduleCheck(doc.uri);
    schedulePrecompile(doc.uri, 0);
  }
}

function schedulePrecompile(uri: string, delayMs: number): void {
  const doc = documents?.get(uri);
  if (!doc) return;
  if (!session.precompileEnabled) {
    precompiler.cancel(uri);
    return;
  }
  precompiler.schedule(doc, session.interpreter(), delayMs);
}

function scheduleCheck(uri: string): void {
  const doc = documents?.get(uri);
  if (!doc) return;
  if (!session.diagnosticsEnabled) {
    diagnostics.cancel(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  diagnostics.schedule(doc, session.interpreter(), session.debounceMs);
}

connection.onDidOpenTextDocument(({ textDocument }) => {
  documents?.open(textDocument.uri, textDocument.version, textDocument.text);
  scheduleCheck(textDocument.uri);
  schedulePrecompile(textDocument.uri, 0);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  documents?.change(textDocument.uri, textDocument.version, contentChanges);
  scheduleCheck(textDocument.uri);
  schedulePrecompile(textDocument.uri, PRECOMPILE_AFTER_CHANGE_MS);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  documents?.close(textDocument.uri);
  diagnostics.cancel(textDocument.uri);
  precompiler.cancel(textDocument.uri);
  pipeline.forget(textDocument.uri);
  explorer.forget(textDocument.uri);
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onHover(async (params, token): Promise<Hover | null | ResponseError<void>> => {
  if (!session.hoverEnabled) return null;
  const doc = documents?.get(params.textDocument.uri);
  if (!doc) return null;
  try {
    const interpreter = await session.interpreter();
    const result = await service.lineBytecode(interpreter, doc, params.position, token);
    if (result.instructions.length === 0) return null;
    return { contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(result, doc.uri, session.hoverMode) } };
  } catch (err) {
    return failure(err, (message) => ({ contents: { kind: MarkupKind.Markdown, value: `**Python Internals:** ${escapeMarkdown(message)}` } }));
  }
});

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
    const doc = documents?.get(params.textDocument.uri);
    if (!doc) return new ResponseError(LSPErrorCodes.RequestFailed, `Not an open document: ${params.textDocument.uri}`);
    try {
      return await handle(doc, params, token);
    } catch (err) {
      return failure(err, (message) => new ResponseError<void>(LSPErrorCodes.RequestFailed, message));
    }
  };
  connection.onRequest(type as unknown as RequestType<P, unknown, void>, handler);
}

/** The session's interpreter, or the one a panel's request names. */
const requestedInterpreter = (params: { interpreterPath?: string }) => () => chooseInterpreter(() => session.interpreter(), params.interpreterPath);

onDocumentRequest(LineBytecodeRequest.type, async (doc, params, token) => service.lineBytecode(await session.interpreter(), doc, params.position, token));

onDocumentRequest(BytecodeListingRequest.type, async (doc, params, token) => service.listing(await session.interpreter(), doc, params.line, token));

onDocumentRequest(PipelineRequest.type, (doc, params, token) => pipeline.stage(doc, params.stage, requestedInterpreter(params), token));

onDocumentRequest(AstDumpRequest.type, (doc, params, token) => pipeline.astDump(doc, params.stage, params.node, params.version, requestedInterpreter(params), token));

onDocumentRequest(CodeObjectsRequest.type, (doc, params, token) => explorer.codeObjects(doc, requestedInterpreter(params), params.optimize ?? 0, token));

onDocumentRequest(CodeObjectRequest.type, (doc, params, token) => explorer.codeObject(doc, params.path, requestedInterpreter(params), params.optimize ?? 0, token));

onDocumentRequest(RunRequest.type, async (doc, params, token) => {
  // Trust first: choosing an interpreter the request names runs it (to probe it).
  assertTrusted(session.runtimeTrusted);
  const python = await requestedInterpreter(params)();
  const limits = { trusted: session.runtimeTrusted, timeoutMs: session.runtimeTimeoutMs, memoryMb: session.runtimeMemoryMb, importRuns: session.runtimeImportRuns };
  const output = (stream: 'stdout' | 'stderr', text: string) => void connection.sendNotification(RunOutputNotification.type, { runId: params.runId, stream, text });
  return runDocument(doc, params, python, limits, output, token);
});

connection.onRequest(ListInterpretersRequest.type, () => discoverInterpreters());

connection.onShutdown(() => {
  killAllRuns();
  diagnostics.dispose();
  precompiler.dispose();
  pool.dispose();
});

/** Expected failures become a user-facing answer; cancellation and bugs become LSP errors. */
function failure<T>(err: unknown, answer: (message: string) => T): T | ResponseError<void> {
  if (err instanceof WorkerError && err.reason === 'cancelled') {
    return new ResponseError(LSPErrorCodes.RequestCancelled, err.message);
  }
  if (err instanceof BytecodeError || err instanceof WorkerError || err instanceof PipelineError || err instanceof InterpreterChoiceError || err instanceof ExplorerError || err instanceof RuntimeError) return answer(err.message);
  log.error(`Request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new ResponseError(LSPErrorCodes.RequestFailed, err instanceof Error ? err.message : String(err));
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

connection.listen();
