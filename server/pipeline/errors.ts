/** A stage's failure as the panel shows it: CPython's message and a span in LSP units. */
import type { CollectorError, PipelineStage, StageError } from '../../protocol';
import { syntaxErrorUnit } from '../cpython/syntaxErrors';
import type { PositionMapper } from '../documents/positions';

export function stageError(error: CollectorError, stage: PipelineStage, version: readonly number[], positions: PositionMapper): StageError {
  const unit = syntaxErrorUnit(error.message, version, stage === 'symtable');
  const span = positions.errorSpan(error.line, error.column, error.endLine, error.endColumn, unit);
  return span ? { message: error.message, span } : { message: error.message };
}
