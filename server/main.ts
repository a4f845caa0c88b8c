/**
 * The Python Internals language server. Runs under any LSP client:
 *   node dist/server.js --stdio
 * It never imports `vscode`; the VS Code extension starts it as a process.
 */
import {
  CancellationToken,
  CodeLens,
  CodeLensRefreshRequest,
  createConnection,
  Hover,
  HoverParams,
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
  MroRequest,
  OPEN_MRO_PANEL_COMMAND,
  PipelineRequest,
  PrecompiledNotification,
  RunOutputNotification,
  RunRequest,
  ServerSettings,
} from '../protocol';
import { ExplorerError, ExplorerService } from './bytecode/explorer';
import { BytecodeError, BytecodeService } from './bytecode/service';
import { DiagnosticsScheduler } from './diagnostics/syntaxCheck';
import { DocumentStore, filenameForUri, type ParsedDocument } from './documents/documents';
import { hoverMarkdown } from './bytecode/hover';
import { escapeMarkdown } from './common/markdown';
import { Foreground } from './common/foreground';
import { DiagnosticsPublisher } from './diagnostics/publisher';
import { MroChecker } from './mro/checker';
import { ModuleIndex } from './mro/modules';
import { lensTitle, mroHoverMarkdown, mroPanelUri } from './mro/presentation';
import { MroService } from './mro/service';
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
/** Requests the user waits for; background work runs between them. */
const foreground = new Foreground();

const log: Logger = {
  info: (m) => connection.console.info(m),
  warn: (m) => connection.console.warn(m),
  error: (m) => connection.console.error(m),
};

// A bug in one request must not take the server down.
// Runs of user code are process groups of their own: they must not outlive the server.
process.on('exit', () => killAllRuns());
process.on('uncaughtException', (err) => log.error(`Uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) =>
  log.error(`Unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
);

const session = new Session(log, (status) => void connection.sendNotification(InterpreterStatusNotification.type, status));
const pool = new WorkerPool(log, session.requestTimeoutMs);
const service = new BytecodeService(pool);
const pipeline = new PipelineService(pool);
const explorer = new ExplorerService(pool);
let documents: DocumentStore | undefined;
let mro: MroService | undefined;
let mroChecker: MroChecker | undefined;
/** Workspace folders (paths): where the static MRO looks for imported modules. */
let workspaceFolders: string[] = [];
/** The client asks for lenses again when told to (workspace/codeLens/refresh). */
let codeLensRefresh = false;
let workspaceFoldersSupported = false;

/** CPython's syntax errors and the static MRO's, published together. */
const published = new DiagnosticsPublisher((uri, items) => {
  const doc = documents?.get(uri);
  void connection.sendDiagnostics({ uri, ...(doc ? { version: doc.version } : {}), diagnostics: items });
});

const diagnostics = new DiagnosticsScheduler(
  pool,
  log,
  (uri, _version, items) => published.set(uri, 'syntax', items),
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
  codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  workspaceFoldersSupported = !!params.capabilities.workspace?.workspaceFolders;
  const parser = await createParser();
  documents = new DocumentStore(parser);
  workspaceFolders = folderPaths(
    params.workspaceFolders?.length ? params.workspaceFolders.map((f) => f.uri) : params.rootUri ? [params.rootUri] : [],
  );
  // The static MRO parses imported files with a parser of its own (the documents' one is mid-edit at times).
  mro = new MroService(
    new ModuleIndex(
      await createParser(),
      () => documents?.all() ?? [],
      () => workspaceFolders,
    ),
    foreground,
  );
  mroChecker = new MroChecker(
    mro,
    () => documents?.all() ?? [],
    (uri) => documents?.get(uri),
    (uri) => published.get(uri, 'mro'),
    (uri, items) => published.set(uri, 'mro', items),
    {
      enabled: () => session.diagnosticsEnabled,
      delayMs: () => session.debounceMs,
      version: async () => (await session.status().catch(() => undefined))?.interpreter?.version,
    },
  );
  applySettings((params.initializationOptions ?? {}) as ServerSettings);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      // Folders added or removed later change where imports are looked for.
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'python-internals', version: process.env.PYINTERNALS_VERSION ?? '0.1.0' },
  };
});

connection.onInitialized(() => {
  // Resolve now so the client's status bar fills in without waiting for a hover.
  void session.status();
  if (workspaceFoldersSupported) {
    connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
      const gone = new Set(folderPaths(removed.map((f) => f.uri)));
      workspaceFolders = [...workspaceFolders.filter((p) => !gone.has(p)), ...folderPaths(added.map((f) => f.uri))];
      scheduleMroCheck();
    });
  }
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
  // The lens setting may have changed: clients that can, ask for lenses again.
  if (documents) refreshLenses();
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
    published.set(uri, 'syntax', []);
    published.set(uri, 'mro', []);
    return;
  }
  diagnostics.schedule(doc, session.interpreter(), session.debounceMs);
}

/** Lenses of every open document: an edit in one module can change another's MROs (clients that can, ask again). */
let lensTimer: NodeJS.Timeout | undefined;
function refreshLenses(): void {
  if (!codeLensRefresh) return;
  clearTimeout(lensTimer);
  lensTimer = setTimeout(() => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {}), 300);
}

/** Something changed that can change any open document's MROs (an edit in one module can break a class of another). */
function scheduleMroCheck(): void {
  mroChecker?.schedule();
  refreshLenses();
}

connection.onDidOpenTextDocument(({ textDocument }) => {
  documents?.open(textDocument.uri, textDocument.version, textDocument.text);
  scheduleCheck(textDocument.uri);
  scheduleMroCheck();
  schedulePrecompile(textDocument.uri, 0);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  documents?.change(textDocument.uri, textDocument.version, contentChanges);
  scheduleCheck(textDocument.uri);
  scheduleMroCheck();
  schedulePrecompile(textDocument.uri, PRECOMPILE_AFTER_CHANGE_MS);
});

// Python files changed on disk (the client watches them): imports may resolve differently now.
connection.onDidChangeWatchedFiles(() => scheduleMroCheck());

connection.onDidCloseTextDocument(({ textDocument }) => {
  documents?.close(textDocument.uri);
  diagnostics.cancel(textDocument.uri);
  precompiler.cancel(textDocument.uri);
  pipeline.forget(textDocument.uri);
  explorer.forget(textDocument.uri);
  mroChecker?.cancel(textDocument.uri);
  published.clear(textDocument.uri);
  scheduleMroCheck();
});

connection.onCodeLens(async ({ textDocument }, token): Promise<CodeLens[] | ResponseError<void>> => {
  if (!documents?.get(textDocument.uri) || !mro || !session.mroCodeLens) return [];
  // Background work: every class of the file is linearized in slices, after the hovers waiting.
  const done = await mro.summariesInBackground(textDocument.uri, (uri) => documents?.get(uri), token);
  if (!done) return token.isCancellationRequested ? new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled') : [];
  const { doc, summaries } = done;
  return summaries.map((summary) => {
    const line = summary.span[0];
    return {
      range: { start: { line, character: summary.span[1] }, end: { line, character: summary.span[3] } },
      command: {
        title: lensTitle(summary),
        command: OPEN_MRO_PANEL_COMMAND,
        arguments: [{ uri: doc.uri, line, character: summary.span[1] }],
      },
    };
  });
});

// A hover is what the user waits for: background work (lenses, MRO diagnostics) waits for it.
connection.onHover((params, token) => foreground.run(() => answerHover(params, token)));

async function answerHover(params: HoverParams, token: CancellationToken): Promise<Hover | null | ResponseError<void>> {
  const doc = documents?.get(params.textDocument.uri);
  if (!doc) return null;
  // A class name: its MRO first, then the line's bytecode.
  let classPart: string | undefined;
  if (session.mroHover && mro) {
    try {
      const found = mro.classAt(doc, params.position);
      const at = found?.cls.span;
      if (found && at) classPart = mroHoverMarkdown(found, mroPanelUri(found.cls.uri ?? doc.uri, at[0], at[1]));
    } catch (err) {
      // The bytecode part still shows.
      log.error(`MRO hover: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  const hover = (parts: Array<string | undefined>): Hover | null => {
    const value = parts.filter((p): p is string => !!p).join('\n\n---\n\n');
    return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
  };
  if (!session.hoverEnabled) return hover([classPart]);
  try {
    const interpreter = await session.interpreter();
    const result = await service.lineBytecode(interpreter, doc, params.position, token);
    return hover([classPart, result.instructions.length ? hoverMarkdown(result, doc.uri, session.hoverMode) : undefined]);
  } catch (err) {
    return failure(err, (message) => hover([classPart, `**Python Internals:** ${escapeMarkdown(message)}`]));
  }
}

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
const requestedInterpreter = (params: { interpreterPath?: string }) => () =>
  chooseInterpreter(() => session.interpreter(), params.interpreterPath);

onDocumentRequest(LineBytecodeRequest.type, async (doc, params, token) =>
  service.lineBytecode(await session.interpreter(), doc, params.position, token),
);

onDocumentRequest(BytecodeListingRequest.type, async (doc, params, token) =>
  service.listing(await session.interpreter(), doc, params.line, token),
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

onDocumentRequest(MroRequest.type, async (doc, params) => {
  if (!mro) throw new Error('The server is not initialized.');
  return mro.request(doc, params);
});

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
  const importedAs = params.view === 'mro' ? mro?.importedAs(doc) : undefined;
  return runDocument(doc, params, python, limits, output, token, importedAs);
});

connection.onRequest(ListInterpretersRequest.type, () => discoverInterpreters());

connection.onShutdown(() => {
  killAllRuns();
  mroChecker?.dispose();
  clearTimeout(lensTimer);
  diagnostics.dispose();
  precompiler.dispose();
  pool.dispose();
});

/** Expected failures become a user-facing answer; cancellation and bugs become LSP errors. */
function failure<T>(err: unknown, answer: (message: string) => T): T | ResponseError<void> {
  if (err instanceof WorkerError && err.reason === 'cancelled') {
    return new ResponseError(LSPErrorCodes.RequestCancelled, err.message);
  }
  if (
    err instanceof BytecodeError ||
    err instanceof WorkerError ||
    err instanceof PipelineError ||
    err instanceof InterpreterChoiceError ||
    err instanceof ExplorerError ||
    err instanceof RuntimeError
  )
    return answer(err.message);
  log.error(`Request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new ResponseError(LSPErrorCodes.RequestFailed, err instanceof Error ? err.message : String(err));
}

/** The file: URIs' paths (other folders hold no modules on disk). */
function folderPaths(uris: string[]): string[] {
  return uris.filter((u) => u.startsWith('file:')).map(filenameForUri);
}

connection.listen();
