/**
 * What every panel's header shows: the file, the interpreter picker and the
 * pin, as lit templates over the panel's FollowingPanelState, and the typed
 * notifications they send (protocol/webview.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import { interpreterLabel } from '../../protocol/common';
import { type FollowingPanelState, SetInterpreterNotification, SetPinnedNotification } from '../../protocol/webview';
import { persist } from './vscodeApi';

export function fileLabel(state: FollowingPanelState | undefined): TemplateResult {
  return html`<span class="file codicon codicon-file-code"></span>
    <span class="file-name" title=${state?.document?.uri ?? ''}>${state?.document?.fileName ?? 'No Python file'}</span>`;
}

/** The picker of installed interpreters; the server's own is labelled the default. */
export function interpreterPicker(connection: MessageConnection, state: FollowingPanelState | undefined, title: string): TemplateResult {
  const options = state?.interpreters ?? [];
  const current = state?.interpreter?.executable ?? '';
  const known = options.some((o) => o.executable === current);
  const pick = (executable: string) => {
    const chosen = executable && executable !== state?.defaultInterpreter?.executable ? executable : undefined;
    persist({ interpreterPath: chosen });
    void connection.sendNotification(SetInterpreterNotification.type, { executable: chosen });
  };
  return html`<vscode-single-select
    class="interpreter"
    aria-label="Interpreter"
    title=${title}
    .value=${current}
    @change=${(e: Event) => pick((e.target as HTMLSelectElement).value)}
  >
    ${!known && state?.interpreter ? html`<vscode-option value=${current}>${interpreterLabel(state.interpreter)}</vscode-option>` : nothing}
    ${options.map(
      (i) =>
        html`<vscode-option value=${i.executable} ?selected=${i.executable === current} description=${i.executable}
          >${interpreterLabel(i)}${i.executable === state?.defaultInterpreter?.executable ? ' (default)' : ''}</vscode-option
        >`,
    )}
  </vscode-single-select>`;
}

/** Keep the panel on its file, or follow the active editor. */
export function pinButton(connection: MessageConnection, state: FollowingPanelState | undefined): TemplateResult {
  const label = state?.pinned ? 'Unpin: follow the active editor' : 'Pin to this file';
  return html`<vscode-toolbar-button
    class="pin"
    icon=${state?.pinned ? 'pinned' : 'pin'}
    label=${label}
    title=${label}
    toggleable
    ?checked=${!!state?.pinned}
    aria-pressed=${state?.pinned ? 'true' : 'false'}
    @click=${() => void connection.sendNotification(SetPinnedNotification.type, { pinned: !state?.pinned })}
  ></vscode-toolbar-button>`;
}

/** A filter (or search) box with its icon; `onInput` gets the text as typed. */
export function filterField(options: {
  className: string;
  placeholder: string;
  label: string;
  value: string;
  icon?: string;
  onInput: (text: string) => void;
}): TemplateResult {
  return html`<vscode-textfield
    class=${options.className}
    placeholder=${options.placeholder}
    aria-label=${options.label}
    .value=${options.value}
    @input=${(e: Event) => options.onInput((e.target as HTMLInputElement).value)}
    ><vscode-icon slot="content-before" name=${options.icon ?? 'filter'}></vscode-icon
  ></vscode-textfield>`;
}

/** What a new state of the panel changes: another document (or the same file reopened) or another interpreter makes what the page shows meaningless. */
export function compareStates(
  before: FollowingPanelState | undefined,
  state: FollowingPanelState,
): { sameDocument: boolean; sameInterpreter: boolean } {
  // A file closed and opened again starts its versions afresh: its text may be another.
  const reopened = !!before?.document && !!state.document && state.document.version < before.document.version;
  return {
    sameDocument: before?.document?.uri === state.document?.uri && !reopened,
    sameInterpreter: before?.interpreter?.executable === state.interpreter?.executable,
  };
}
