/**
 * What a CPython SyntaxError's offsets count. They are 1-based, but their
 * unit depends on which part of CPython raised the error (checked on
 * 3.8-3.13 with a str source):
 *   - the parser and tokenizer (3.9+: every parser error): code points;
 *   - 3.8's AST builder (ast.c: "cannot assign to literal", ...): UTF-8 bytes;
 *   - symtable (every version: "nonlocal declaration not allowed at module
 *     level", ...): UTF-8 bytes, from the node's col_offset.
 * The collector passes the offsets on as CPython gave them, so the unit is
 * told from the message, the version and whether symtable ran (it does for
 * the symbol table stage and for compile(), not for ast.parse or tokenize).
 */
import type { ColumnUnit } from '../documents/positions';

export function syntaxErrorUnit(message: string, version: readonly number[], symtableRan: boolean): ColumnUnit {
  const text = message.replace(/^\w+: /, '');
  if (symtableRan && SYMTABLE_MESSAGES.test(text)) return 'utf8';
  if ((version[0] ?? 3) === 3 && (version[1] ?? 0) < 9 && AST_C_MESSAGES.test(text)) return 'utf8';
  return 'codepoint';
}

/**
 * Python/symtable.c's SyntaxErrors (3.8-3.14) and future.c's (run before
 * symtable); their places are AST nodes' col_offset + 1.
 */
const SYMTABLE_MESSAGES = new RegExp(
  [
    "^name '.*' is (parameter and|used prior to|assigned to before|nonlocal and)",
    "^annotated name '.*' can't be",
    '^nonlocal declaration not allowed',
    '^no binding for nonlocal',
    "^duplicate (argument|parameter|type parameter) '.*'",
    '^import \\* only allowed at module level',
    "^'(yield|await|async with|async for)' (inside|outside)",
    '^asynchronous comprehension outside',
    '^(assignment expression|comprehension inner loop) ',
    ' cannot be used within ',
    '^from __future__ imports must occur',
    '^future feature .* is not defined',
    '^not a chance',
  ].join('|'),
);

/** 3.8's Python/ast.c SyntaxErrors (the parser's own, pgen's, count code points). */
const AST_C_MESSAGES = new RegExp(
  [
    '^cannot (assign to|delete|use (named|assignment) expressions? with)',
    '^Generator expression must be parenthesized',
    '^keyword argument repeated',
    '^(positional|iterable) argument (follows|unpacking follows)',
    "^(lambda cannot contain assignment|keyword can't be an expression|expression cannot contain assignment)",
    '^named arguments must follow bare',
    '^non-default argument follows default argument',
    '^bare \\* has associated type comment',
    '^(illegal target for annotation|only single target)',
    '^assignment to (keyword|yield expression)',
    '^f-string',
    '^\\(unicode error\\)',
  ].join('|'),
);
