/** tokenize's tokens (columns in the unit the collector names) with LSP spans. */
import type { TokensData, TokensResult } from '../../protocol';
import type { PositionMapper } from '../documents/positions';
import { stageError } from './errors';

export function tokensData(raw: TokensResult, positions: PositionMapper, version: readonly number[]): TokensData {
  const unit = raw.columns === 'utf8' ? 'utf8' : 'codepoint';
  const tokens = raw.tokens;
  // Same shape as the raw token: converted in place.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]! as unknown as number[];
    positions.spanInto(token, 3, token[3]!, token[4]!, token[5]!, token[6]!, unit);
  }
  const data: TokensData = { tokens };
  if (raw.error) data.error = stageError(raw.error, 'tokens', version, positions);
  return data;
}
