/**
 * The server's parts, built once when the client initializes (the tree-sitter
 * parsers load first), so that nothing a handler uses is optional; and what
 * keeps them in step with the open documents, the workspace folders and the
 * settings. server/main.ts wires the connection's messages to it.
 */
import type { Diagnostic, InitializeParams, WorkspaceFolder } from 'vscode-languageserver/node';
import type { Parser } from 'web-tree-sitter';
import type { InterpreterStatus, PrecompiledParams, ServerSettings } from '../protocol';
import { ExplorerService } from './bytecode/explorer';
import { Precompiler } from './bytecode/precompile';
import { BytecodeService } from './bytecode/service';
import { Foreground } from './common/foreground';
import type { Logger } from './common/logger';
import { WorkerPool } from './cpython/pool';
import { Session } from './cpython/session';
import { DiagnosticsPublisher } from './diagnostics/publisher';
import { DiagnosticsScheduler } from './diagnostics/syntaxCheck';
import { type ContentChange, DocumentStore, filenameForUri } from './documents/documents';
import { createParser } from './documents/parser';
import { MroChecker } from './mro/checker';
import { ModuleIndex } from './mro/modules';
import { MroService } from './mro/service';
import { PipelineService } from './pipeline/service';

/** What the services tell the client (the connection, in server/main.ts). */
export interface ServicesHost {
  readonly log: Logger;
  status(status: InterpreterStatus): void;
  precompiled(params: PrecompiledParams): void;
  diagnostics(uri: string, version: number | undefined, items: Diagnostic[]): void;
  /** Ask the client for every document's lenses again (workspace/codeLens/refresh). */
  refreshLenses(): void;
}

/** After typing, wait for a pause before compiling the changed functions. */
const PRECOMPILE_AFTER_CHANGE_MS = 500;
/** Lens refreshes after edits are coalesced. */
const LENS_REFRESH_MS = 300;

export class Services {
  readonly session: Session;
  readonly pool: WorkerPool;
  readonly bytecode: BytecodeService;
  readonly pipeline: PipelineService;
  readonly explorer: ExplorerService;
  readonly documents: DocumentStore;
  readonly mro: MroService;
  readonly mroChecker: MroChecker;
  /** Requests the user waits for (hovers); background work (lenses, MRO diagnostics) runs between them. */
  readonly foreground = new Foreground();
  /** CPython's syntax errors and the static MRO's, published together. */
  readonly published: DiagnosticsPublisher;
  readonly diagnostics: DiagnosticsScheduler;
  readonly precompiler: Precompiler;
  /** Workspace folders (paths): where the static MRO looks for imported modules. */
  private workspaceFolders: string[];
  /** The client asks for lenses again when told to (workspace/codeLens/refresh). */
  private readonly codeLensRefresh: boolean;
  private lensTimer: NodeJS.Timeout | undefined;

  static async create(host: ServicesHost, params: InitializeParams): Promise<Services> {
    const documentsParser = await createParser();
    // The static MRO parses imported files with a parser of its own (the documents' one is mid-edit at times).
    const modulesParser = await createParser();
    return new Services(host, params, documentsParser, modulesParser);
  }

  private constructor(
    readonly host: ServicesHost,
    params: InitializeParams,
    documentsParser: Parser,
    modulesParser: Parser,
  ) {
    const log = host.log;
    this.codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    this.workspaceFolders = folderPaths(
      params.workspaceFolders?.length ? params.workspaceFolders.map((f) => f.uri) : params.rootUri ? [params.rootUri] : [],
    );
    this.session = new Session(log, (status) => host.status(status));
    this.pool = new WorkerPool(log, this.session.requestTimeoutMs);
    this.bytecode = new BytecodeService(this.pool);
    this.pipeline = new PipelineService(this.pool);
    this.explorer = new ExplorerService(this.pool);
    const documents = (this.documents = new DocumentStore(documentsParser));
    this.published = new DiagnosticsPublisher((uri, items) => host.diagnostics(uri, documents.get(uri)?.version, items));
    this.diagnostics = new DiagnosticsScheduler(
      this.pool,
      log,
      (uri, _version, items) => this.published.set(uri, 'syntax', items),
      (uri) => documents.get(uri),
    );
    this.precompiler = new Precompiler(
      this.bytecode,
      log,
      (p) => host.precompiled(p),
      (uri) => documents.get(uri),
    );
    this.mro = new MroService(
      new ModuleIndex(
        modulesParser,
        () => documents.all(),
        () => this.workspaceFolders,
      ),
      this.foreground,
    );
    this.mroChecker = new MroChecker(
      this.mro,
      () => documents.all(),
      (uri) => documents.get(uri),
      (uri) => this.published.get(uri, 'mro'),
      (uri, items) => this.published.set(uri, 'mro', items),
      {
        enabled: () => this.session.diagnosticsEnabled,
        delayMs: () => this.session.debounceMs,
        version: async () => (await this.session.status().catch(() => undefined))?.interpreter?.version,
      },
    );
    this.applySettings((params.initializationOptions ?? {}) as ServerSettings);
  }

  applySettings(settings: ServerSettings): void {
    const interpreterChanged = this.session.update(settings);
    this.pool.setTimeout(this.session.requestTimeoutMs);
    if (interpreterChanged) {
      this.bytecode.clear();
      void this.session.status();
    }
    // CPython in WebAssembly takes seconds to load (on its own thread): it starts now, not at the first hover,
    // and again after the pool restarted its workers for a new timeout.
    this.session
      .status()
      .then((r) => r.interpreter?.kind === 'wasm' && this.pool.get(r.interpreter))
      .catch((err: unknown) => this.host.log.warn(`Starting the WebAssembly worker: ${String(err)}`));
    // The lens setting may have changed: clients that can, ask for lenses again.
    this.refreshLenses();
    for (const doc of this.documents.all()) {
      if (interpreterChanged) this.scheduleCheck(doc.uri);
      this.schedulePrecompile(doc.uri, 0);
    }
  }

  opened(uri: string, version: number, text: string): void {
    this.documents.open(uri, version, text);
    this.scheduleCheck(uri);
    this.scheduleMroCheck();
    this.schedulePrecompile(uri, 0);
  }

  changed(uri: string, version: number, changes: ContentChange[]): void {
    this.documents.change(uri, version, changes);
    this.scheduleCheck(uri);
    this.scheduleMroCheck();
    this.schedulePrecompile(uri, PRECOMPILE_AFTER_CHANGE_MS);
  }

  closed(uri: string): void {
    this.documents.close(uri);
    this.diagnostics.cancel(uri);
    this.precompiler.cancel(uri);
    this.pipeline.forget(uri);
    this.explorer.forget(uri);
    this.mroChecker.cancel(uri);
    this.published.clear(uri);
    this.scheduleMroCheck();
  }

  /** Folders added or removed change where imports are looked for. */
  foldersChanged(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    const gone = new Set(folderPaths(removed.map((f) => f.uri)));
    this.workspaceFolders = [...this.workspaceFolders.filter((p) => !gone.has(p)), ...folderPaths(added.map((f) => f.uri))];
    this.scheduleMroCheck();
  }

  /** Something changed that can change any open document's MROs (an edit in one module can break a class of another). */
  scheduleMroCheck(): void {
    this.mroChecker.schedule();
    this.refreshLenses();
  }

  dispose(): void {
    this.mroChecker.dispose();
    clearTimeout(this.lensTimer);
    this.diagnostics.dispose();
    this.precompiler.dispose();
    this.pool.dispose();
  }

  private schedulePrecompile(uri: string, delayMs: number): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    if (!this.session.precompileEnabled) {
      this.precompiler.cancel(uri);
      return;
    }
    this.precompiler.schedule(doc, this.session.interpreter(), delayMs);
  }

  private scheduleCheck(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    if (!this.session.diagnosticsEnabled) {
      this.diagnostics.cancel(uri);
      this.published.set(uri, 'syntax', []);
      this.published.set(uri, 'mro', []);
      return;
    }
    this.diagnostics.schedule(doc, this.session.interpreter(), this.session.debounceMs);
  }

  /** Lenses of every open document: an edit in one module can change another's MROs (clients that can, ask again). */
  private refreshLenses(): void {
    if (!this.codeLensRefresh) return;
    clearTimeout(this.lensTimer);
    this.lensTimer = setTimeout(() => this.host.refreshLenses(), LENS_REFRESH_MS);
  }
}

/** The file: URIs' paths (other folders hold no modules on disk). */
function folderPaths(uris: string[]): string[] {
  return uris.filter((u) => u.startsWith('file:')).map(filenameForUri);
}
