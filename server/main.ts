/**
 * The Python Internals language server. Runs under any LSP client:
 *   node dist/server.js --stdio
 * It never imports `vscode`; the VS Code extension starts it as a process.
 * This file wires the connection's messages to the services (services.ts),
 * built once the client initializes, and to the requests (requests.ts).
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
  ResponseError,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { InterpreterStatusNotification, OPEN_MRO_PANEL_COMMAND, PrecompiledNotification, ServerSettings } from '../protocol';
import { hoverMarkdown } from './bytecode/hover';
import type { Logger } from './common/logger';
import { escapeMarkdown } from './common/markdown';
import { lensTitle, mroHoverMarkdown, mroPanelUri } from './mro/presentation';
import { failure as requestFailure, registerRequests } from './requests';
import { killAllRuns } from './runtime/runner';
import { Services } from './services';

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
process.on('unhandledRejection', (err) =>
  log.error(`Unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
);

/** A failed request's answer (requests.ts); errors that are bugs are logged. */
const failure = <T>(err: unknown, answer: (message: string) => T): T | ResponseError<void> => requestFailure(err, log, answer);

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  const services = await Services.create(
    {
      log,
      status: (status) => void connection.sendNotification(InterpreterStatusNotification.type, status),
      precompiled: (p) => void connection.sendNotification(PrecompiledNotification.type, p),
      diagnostics: (uri, version, items) =>
        void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: items }),
      refreshLenses: () => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {}),
    },
    params,
  );
  wire(services, !!params.capabilities.workspace?.workspaceFolders);
  registerRequests(connection, services);
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

/** The connection's notifications, lenses and hovers, answered by the services. */
function wire(services: Services, workspaceFoldersSupported: boolean): void {
  const { documents, mro, session } = services;

  connection.onInitialized(() => {
    // Resolve now so the client's status bar fills in without waiting for a hover.
    void session.status();
    if (workspaceFoldersSupported) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => services.foldersChanged(added, removed));
    }
  });

  connection.onDidChangeConfiguration((params) => {
    const settings = (params.settings as { pythonInternals?: ServerSettings } | undefined)?.pythonInternals;
    if (settings) services.applySettings(settings);
  });

  connection.onDidOpenTextDocument(({ textDocument }) => services.opened(textDocument.uri, textDocument.version, textDocument.text));
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
    services.changed(textDocument.uri, textDocument.version, contentChanges),
  );
  // Python files changed on disk (the client watches them): imports may resolve differently now.
  connection.onDidChangeWatchedFiles(() => services.scheduleMroCheck());
  connection.onDidCloseTextDocument(({ textDocument }) => services.closed(textDocument.uri));

  connection.onCodeLens(async ({ textDocument }, token): Promise<CodeLens[] | ResponseError<void>> => {
    if (!documents.get(textDocument.uri) || !session.mroCodeLens) return [];
    // Background work: every class of the file is linearized in slices, after the hovers waiting.
    const done = await mro.summariesInBackground(textDocument.uri, (uri) => documents.get(uri), token);
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
  connection.onHover((params, token) => services.foreground.run(() => answerHover(services, params, token)));

  connection.onShutdown(() => {
    killAllRuns();
    services.dispose();
  });
}

/** The line's bytecode, and above it a class name's MRO. */
async function answerHover(services: Services, params: HoverParams, token: CancellationToken): Promise<Hover | null | ResponseError<void>> {
  const { documents, mro, session, bytecode: service } = services;
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  // A class name: its MRO first, then the line's bytecode.
  let classPart: string | undefined;
  if (session.mroHover) {
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

connection.listen();
