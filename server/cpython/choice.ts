/**
 * Which interpreter a panel's request runs on: the session's, or another
 * installed one the panel picked (`interpreterPath`), probed once
 * (probeInterpreter caches by path) and checked for support the same way.
 * The AST and bytecode panels both let the user pick one.
 */
import type { InterpreterInfo } from '../../protocol';
import { probeInterpreter } from './interpreter';
import { UserError } from '../common/userError';

/** The picked interpreter cannot be used; the message says why. */
export class InterpreterChoiceError extends UserError {}

/** Resolves the interpreter for one request; rejects when none is usable. */
export type InterpreterChoice = () => Promise<InterpreterInfo>;

export async function chooseInterpreter(
  sessionInterpreter: () => Promise<InterpreterInfo>,
  requested: string | undefined,
): Promise<InterpreterInfo> {
  const path = requested?.trim();
  if (!path) return sessionInterpreter();
  try {
    return await probeInterpreter(path);
  } catch (err) {
    throw new InterpreterChoiceError(err instanceof Error ? err.message : String(err));
  }
}
