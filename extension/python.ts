/**
 * The Python extension's active interpreter, behind a small interface so the
 * rest of the extension does not depend on @vscode/python-extension being
 * present (it is optional: no `extensionDependencies`).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface ActiveInterpreterSource extends vscode.Disposable {
  /** The executable the Python extension has selected, if it is installed and has one. */
  get(): Promise<string | undefined>;
  readonly onDidChange: vscode.Event<void>;
}

const PYTHON_EXTENSION_ID = 'ms-python.python';

export function createPythonExtensionSource(log: vscode.LogOutputChannel): ActiveInterpreterSource {
  const emitter = new vscode.EventEmitter<void>();
  const disposables: vscode.Disposable[] = [emitter];
  let api: Promise<import('@vscode/python-extension').PythonExtension | undefined> | undefined;

  const load = () => {
    api ??= (async () => {
      if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return undefined;
      try {
        const { PythonExtension } = await import('@vscode/python-extension');
        const loaded = await PythonExtension.api();
        disposables.push(loaded.environments.onDidChangeActiveEnvironmentPath(() => emitter.fire()));
        return loaded;
      } catch (err) {
        log.warn(`Python extension API unavailable: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    })();
    return api;
  };

  return {
    onDidChange: emitter.event,
    async get() {
      const loaded = await load();
      if (!loaded) return undefined;
      const active = loaded.environments.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
      const resolved = await loaded.environments.resolveEnvironment(active).catch(() => undefined);
      const executable = resolved?.executable.uri?.fsPath ?? active.path;
      if (!vscode.workspace.isTrusted && isInsideWorkspace(executable)) {
        // An untrusted folder could ship its own "python" (say .venv/bin/python): never run it.
        log.info(`Ignoring the Python extension's interpreter ${executable}: it is inside the untrusted workspace.`);
        return undefined;
      }
      return executable;
    },
    dispose() {
      for (const d of disposables) d.dispose();
    },
  };
}

export function isInsideWorkspace(file: string): boolean {
  const resolved = path.resolve(file);
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const relative = path.relative(folder.uri.fsPath, resolved);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}
