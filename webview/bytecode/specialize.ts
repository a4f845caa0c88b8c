/**
 * The bytecode panel's Specialize: run the file (the extension asks for
 * trust), optionally a call after it, and show what CPython 3.11+'s adaptive
 * interpreter wrote into each instruction. It owns the call text, the run's
 * report and the request; the page lends it what it reads.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import type { OptimizeLevel } from '../../protocol/bytecode';
import type { AdaptiveInstruction, SpecializedReport } from '../../protocol/runtime';
import { type Answer, type RunAnswer, SpecializeRequest } from '../../protocol/webview';
import { CALL_HINT, callField, parseCall } from '../shared/chosenCall';
import { LatestRequest } from '../shared/latest';
import { metrics } from '../shared/metrics';

/** The page's side of a run: what it shows, and how to show the run's result. */
export interface SpecializeHost {
  connection(): MessageConnection;
  /** The version of the tree shown. */
  version(): number | undefined;
  optimize(): OptimizeLevel;
  /** How many instructions of the code object shown the run specialized, of how many it could. */
  counts(): { specialized: number; specializable: number } | undefined;
  /** The report changed: the instructions table is drawn again with it. */
  changed(): void;
  update(): void;
}

interface Run {
  /** The version of the text the run ran. */
  version: number;
  report: SpecializedReport;
  running?: boolean;
  failure?: string;
}

export class Specializer {
  /** "work(1000)" or "work(1000) * 50": a call to repeat after the module runs (100 times unless told). */
  private call = '';
  /** The adaptive bytecode of the last run, for the document and interpreter shown. */
  private run: Run | undefined;
  private readonly request = new LatestRequest<Answer<RunAnswer>>();

  constructor(private readonly host: SpecializeHost) {}

  /** Another document, interpreter or level: a run in progress is cancelled, its report and the last one dropped. */
  reset(): void {
    this.request.cancel();
    this.run = undefined;
  }

  get shown(): boolean {
    return !!this.run;
  }

  /** The run's adaptive forms of the code object `qualname` that starts nearest `firstLine`, by offset. */
  adaptive(qualname: string, firstLine: number): Map<number, AdaptiveInstruction> | undefined {
    const report = this.run?.report;
    if (!report || !('codes' in report)) return undefined;
    const mine = report.codes.filter((c) => c.qualname === qualname);
    if (!mine.length) return undefined;
    const code = mine.reduce((a, b) => (Math.abs(b.firstLine - firstLine) < Math.abs(a.firstLine - firstLine) ? b : a));
    return new Map(code.instructions.map((i) => [i[0], i]));
  }

  private async start(): Promise<void> {
    const version = this.host.version() ?? 0;
    const unavailable = { unavailable: '' };
    if (this.host.optimize() !== 0) {
      // The run compiles as `python file.py` does: its offsets are those of the default level.
      const failure = 'Specialize runs the file as python file.py does: switch the panel to No optimization to see it.';
      this.run = { version, report: unavailable, failure };
      return this.host.update();
    }
    const call = parseCall(this.call);
    if (call === 'invalid') {
      this.run = { version, report: unavailable, failure: CALL_HINT };
      return this.host.update();
    }
    this.run = { version, report: unavailable, running: true };
    this.host.update();
    const params = {
      version,
      ...(call.call ? { call: call.call, times: call.times, ...(call.callArgs ? { callArgs: call.callArgs } : {}) } : {}),
    };
    const answer = await this.request.ask(`${version}`, (token) =>
      this.host.connection().sendRequest(SpecializeRequest.type, params, token),
    );
    if (!answer) return;
    const report = answer.ok ? answer.value.result.specialized : undefined;
    const ran = answer.ok ? answer.value.version : version;
    this.run = report
      ? { version: ran, report }
      : { version: ran, report: unavailable, failure: answer.ok ? answer.value.result.summary : answer.error.message };
    this.host.changed();
    metrics.mark('data:specialized');
  }

  /** The Specialize button and the call to make after the module runs, in the instructions' toolbar. */
  renderTools(): TemplateResult {
    return html`<vscode-toolbar-button
        class="specialize"
        icon="zap"
        label="Specialize"
        title="Run the file (trusted workspaces only) and show the specialized bytecode CPython 3.11+ writes into each instruction as it runs"
        ?disabled=${!!this.run?.running}
        @click=${() => void this.start()}
      ></vscode-toolbar-button
      >${callField({
        className: 'specialize-call',
        placeholder: 'then call, e.g. work(1000) * 50',
        label: 'A call to repeat after the module runs, before its bytecode is read',
        title: 'Optional: a function of the module to call after it runs, with its arguments, and how many times (100 by default)',
        value: this.call,
        onInput: (text) => (this.call = text),
        run: () => void this.start(),
      })}`;
  }

  /** What the last run did, under the toolbar. */
  renderStatus(): TemplateResult | typeof nothing {
    const s = this.run;
    if (!s) return nothing;
    if (s.running) return html`<span class="hint">Running the file…</span>`;
    if (s.failure) return html`<span class="hint error-text">${s.failure}</span>`;
    if ('unavailable' in s.report) return html`<span class="hint">${s.report.unavailable}</span>`;
    const counts = this.host.counts();
    const moved = this.host.version() !== undefined && this.host.version() !== s.version ? ' (from an earlier version of the text)' : '';
    return html`<span class="hint specialize-summary"
      >${counts ? `After a run: ${counts.specialized} of ${counts.specializable} specializable instructions specialized${moved}` : `After a run${moved}`}${s.report.callError ? ` · ${s.report.callError}` : ''}</span
    >`;
  }
}
