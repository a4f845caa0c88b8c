/**
 * Which interpreter a pipeline request runs on: the session's, or another
 * installed one the panel picked (`interpreterPath`), probed once
 * (probeInterpreter caches by path) and checked for support the same way.
 */
import type { InterpreterInfo } from '../../protocol';
import { probeInterpreter } from '../cpython/interpreter';
import { PipelineError } from './service';

export async function pipelineInterpreter(sessionInterpreter: () => Promise<InterpreterInfo>, requested: string | undefined): Promise<InterpreterInfo> {
  const path = requested?.trim();
  if (!path) return sessionInterpreter();
  try {
    return await probeInterpreter(path);
  } catch (err) {
    throw new PipelineError(err instanceof Error ? err.message : String(err));
  }
}
