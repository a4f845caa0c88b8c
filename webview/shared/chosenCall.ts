/** "work(1000)" or "work(1000) * 50": a call to make after the module runs (100 times unless told). */
import { html, type TemplateResult } from 'lit';
import type { ChosenCall } from '../../protocol/webview';

export function parseCall(text: string): ChosenCall | 'invalid' {
  const t = text.trim();
  if (!t) return {};
  const m = /^([A-Za-z_][\w.]*)\s*\((.*)\)\s*(?:[*x×]\s*(\d+))?$/.exec(t);
  if (!m) return 'invalid';
  return { call: m[1]!, ...(m[2]!.trim() ? { callArgs: m[2]!.trim() } : {}), times: m[3] ? Number(m[3]) : 100 };
}

export const CALL_HINT = 'Write the call as name(arguments), optionally followed by * N (how many times; 100 by default).';

/** The field where the user writes that call; Enter runs it (`run`). */
export function callField(options: {
  className: string;
  placeholder: string;
  label: string;
  title: string;
  value: string;
  onInput: (text: string) => void;
  run: () => void;
}): TemplateResult {
  return html`<vscode-textfield
    class=${options.className}
    placeholder=${options.placeholder}
    aria-label=${options.label}
    title=${options.title}
    .value=${options.value}
    @input=${(e: Event) => options.onInput((e.target as HTMLInputElement).value)}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Enter') options.run();
    }}
  ></vscode-textfield>`;
}
