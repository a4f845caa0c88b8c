/**
 * Type guards for the state a panel's page persisted (`vscode.setState`),
 * which VS Code hands back to the panel's serializer after a window reload.
 * It comes from disk, written by an older page perhaps: the registry checks
 * it with these before a panel reads it, instead of casting. Fields the
 * extension does not read are the page's business and not checked here.
 * No `vscode` import (tested in test/unit/savedState.test.ts).
 */
import type { ChosenCall, PersistedPanelState, RuntimeReportState } from '../../protocol';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional(value: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}

/** A panel that follows the editor: the document it showed, its pin and interpreter. */
export function isFollowingState(value: unknown): value is PersistedPanelState {
  return isObject(value) && optional(value.uri, 'string') && optional(value.pinned, 'boolean') && optional(value.interpreterPath, 'string');
}

/** A runtime report panel: the report it showed, if any (its file is run again on "Run again"). */
export function isReportPanelState(value: unknown): value is PersistedPanelState {
  return isObject(value) && (value.report === undefined || isReport(value.report));
}

function isReport(value: unknown): value is RuntimeReportState {
  return (
    isObject(value) &&
    isObject(value.result) &&
    typeof value.result.uri === 'string' &&
    typeof value.result.summary === 'string' &&
    typeof value.fileName === 'string' &&
    optional(value.line, 'number') &&
    (value.call === undefined || isChosenCall(value.call))
  );
}

function isChosenCall(value: unknown): value is ChosenCall {
  return isObject(value) && optional(value.call, 'string') && optional(value.times, 'number') && optional(value.callArgs, 'string');
}
