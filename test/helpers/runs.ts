/**
 * Runs of the runtime lab's runner as the integration tests make them: a
 * script written to a folder, run under the GC view with room to spare.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InterpreterInfo, RuntimeMessage } from '../../protocol';
import type { RunSpec } from '../../server/runtime/runner';

export function writeScript(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

export function runSpec(python: InterpreterInfo, file: string, extra: Partial<RunSpec> = {}): RunSpec {
  return { python, script: file, cwd: path.dirname(file), args: [], view: 'gc', timeoutMs: 20_000, memoryMb: 2048, ...extra };
}

export function helloOf(messages: RuntimeMessage[]) {
  return messages.find((m): m is Extract<RuntimeMessage, { kind: 'hello' }> => m.kind === 'hello')?.data;
}
