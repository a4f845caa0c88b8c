/**
 * The one handle a webview has on VS Code. `acquireVsCodeApi` may be called
 * once per page; everything else goes through this module. Tests in Chromium
 * define a stub `acquireVsCodeApi` before the bundle loads.
 */
import type { PersistedPanelState } from '../../protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();

/** What the panel's serializer gets back after a window reload. */
export function persist(patch: Partial<PersistedPanelState>): void {
  const previous = (vscode.getState() as PersistedPanelState | undefined) ?? {};
  vscode.setState({ ...previous, ...patch });
}

export function persisted(): PersistedPanelState {
  return (vscode.getState() as PersistedPanelState | undefined) ?? {};
}
