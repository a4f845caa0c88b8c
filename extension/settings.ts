/** Reads the extension's settings into the shape the server takes (protocol ServerSettings). */
import * as vscode from 'vscode';
import { type ServerSettings, WASM_PREFIX } from '../protocol';
import { isInsideWorkspace } from './python';

export const SECTION = 'pythonInternals';

/**
 * In an untrusted workspace the interpreter path comes from user settings
 * only (the setting is also declared restricted in package.json), and never
 * points inside the workspace.
 */
export function interpreterPathSetting(): string | undefined {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('interpreterPath');
  const value = vscode.workspace.isTrusted
    ? (inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue)
    : inspected?.globalValue;
  if (!value?.trim()) return undefined;
  // A WebAssembly interpreter's name (wasm:3.14) is no path: nothing of the workspace's runs.
  if (!vscode.workspace.isTrusted && !value.trim().startsWith(WASM_PREFIX) && isInsideWorkspace(value)) return undefined;
  return value.trim();
}

export function readSettings(pythonExtensionInterpreter: string | undefined): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const settings: ServerSettings = {
    hover: {
      enabled: config.get<boolean>('hover.enabled', true),
      mode: config.get<'compact' | 'detailed'>('hover.mode', 'compact'),
    },
    diagnostics: {
      enabled: config.get<boolean>('diagnostics.enabled', true),
      debounceMs: config.get<number>('diagnostics.debounceMs', 300),
    },
    precompile: {
      enabled: config.get<boolean>('precompile.enabled', true),
    },
    requestTimeoutMs: config.get<number>('requestTimeoutMs', 10_000),
    mro: {
      codeLens: config.get<boolean>('mro.codeLens', true),
      hover: config.get<boolean>('mro.hover', true),
    },
    runtime: {
      // Only a trusted workspace may run code; the server refuses otherwise.
      trusted: vscode.workspace.isTrusted,
      timeoutMs: Math.round(config.get<number>('runtime.timeoutSeconds', 10) * 1000),
      memoryMb: config.get<number>('runtime.memoryLimitMb', 2048),
      importRuns: config.get<number>('runtime.importRuns', 5),
    },
  };
  // The server treats empty strings as unset, which lets a later update clear a value.
  settings.interpreterPath = interpreterPathSetting() ?? '';
  settings.pythonExtensionInterpreter = config.get<boolean>('usePythonExtension', true) ? (pythonExtensionInterpreter ?? '') : '';
  return settings;
}
