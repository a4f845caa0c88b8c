/**
 * Settings and the interpreter in use, for one server (or one CLI run).
 * Re-resolves the interpreter only when a setting that chooses it changes,
 * and reports every outcome through `onStatus`.
 */
import type { InterpreterInfo, InterpreterStatus, ServerSettings } from '../../protocol';
import { BytecodeError } from '../bytecode/service';
import { resolveInterpreter, Resolution } from './interpreter';
import type { Logger } from '../common/logger';

export const DEFAULT_SETTINGS = {
  hover: { enabled: true, mode: 'compact' as 'compact' | 'detailed' },
  diagnostics: { enabled: true, debounceMs: 300 },
  precompile: { enabled: true },
  requestTimeoutMs: 10_000,
  mro: { codeLens: true, hover: true },
  runtime: { trusted: false, timeoutMs: 10_000, memoryMb: 2048, importRuns: 5 },
};

export class Session {
  private settings: ServerSettings = {};
  private resolution: Promise<Resolution> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly onStatus: (status: InterpreterStatus) => void = () => {},
  ) {}

  get hoverEnabled(): boolean {
    return this.settings.hover?.enabled ?? DEFAULT_SETTINGS.hover.enabled;
  }
  get hoverMode(): 'compact' | 'detailed' {
    return this.settings.hover?.mode ?? DEFAULT_SETTINGS.hover.mode;
  }
  get diagnosticsEnabled(): boolean {
    return this.settings.diagnostics?.enabled ?? DEFAULT_SETTINGS.diagnostics.enabled;
  }
  get debounceMs(): number {
    return this.settings.diagnostics?.debounceMs ?? DEFAULT_SETTINGS.diagnostics.debounceMs;
  }
  get precompileEnabled(): boolean {
    return this.settings.precompile?.enabled ?? DEFAULT_SETTINGS.precompile.enabled;
  }
  get requestTimeoutMs(): number {
    return this.settings.requestTimeoutMs ?? DEFAULT_SETTINGS.requestTimeoutMs;
  }

  get mroCodeLens(): boolean {
    return this.settings.mro?.codeLens ?? DEFAULT_SETTINGS.mro.codeLens;
  }
  get mroHover(): boolean {
    return this.settings.mro?.hover ?? DEFAULT_SETTINGS.mro.hover;
  }

  /** The client said the workspace is trusted: commands that run code may run. */
  get runtimeTrusted(): boolean {
    return this.settings.runtime?.trusted ?? DEFAULT_SETTINGS.runtime.trusted;
  }
  get runtimeTimeoutMs(): number {
    return this.settings.runtime?.timeoutMs ?? DEFAULT_SETTINGS.runtime.timeoutMs;
  }
  get runtimeMemoryMb(): number {
    return this.settings.runtime?.memoryMb ?? DEFAULT_SETTINGS.runtime.memoryMb;
  }
  get runtimeImportRuns(): number {
    return this.settings.runtime?.importRuns ?? DEFAULT_SETTINGS.runtime.importRuns;
  }

  /** Merge new settings; returns true when the interpreter choice changed. */
  update(next: ServerSettings): boolean {
    const before = [this.settings.interpreterPath ?? '', this.settings.pythonExtensionInterpreter ?? ''];
    this.settings = { ...this.settings, ...next };
    const after = [this.settings.interpreterPath ?? '', this.settings.pythonExtensionInterpreter ?? ''];
    const changed = !this.resolution || before[0] !== after[0] || before[1] !== after[1];
    if (changed) this.resolution = undefined;
    return changed;
  }

  status(): Promise<Resolution> {
    if (!this.resolution) {
      const pending = resolveInterpreter(this.settings);
      this.resolution = pending;
      void pending.then((r) => {
        if (this.resolution !== pending) return;
        if (r.interpreter)
          this.log.info(`Interpreter: ${r.interpreter.executable} (CPython ${r.interpreter.versionText}, from ${r.source})`);
        else this.log.error(r.error ?? 'No interpreter.');
        this.onStatus({
          source: r.source,
          ...(r.interpreter ? { interpreter: r.interpreter } : {}),
          ...(r.error ? { error: r.error } : {}),
        });
      });
    }
    return this.resolution;
  }

  /** The interpreter to use, or a BytecodeError that says why there is none. */
  async interpreter(): Promise<InterpreterInfo> {
    const r = await this.status();
    if (!r.interpreter) throw new BytecodeError(r.error ?? 'No Python interpreter.');
    return r.interpreter;
  }
}
