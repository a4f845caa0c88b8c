/**
 * The opcode reference shown by the bytecode panel: one short text per opcode
 * family, in our own words, per CPython version. This is the only place these
 * texts live; `opcodeDocs.ts` looks them up.
 *
 * Shape (plain data; kept as a .ts module so that both the extension-side and
 * the webview tsconfig typecheck it without `resolveJsonModule`):
 *
 *   { match, text, since?, until?, notes? }
 *
 * - `match`: opnames, each an exact name (`LOAD_FAST`) or a prefix with a
 *   trailing `*` (`LOAD_ATTR_*` matches `LOAD_ATTR_SLOT`, not `LOAD_ATTR`).
 * - `since` / `until`: `[major, minor]`, both inclusive; the first and last
 *   versions the text describes. Absent means open-ended.
 * - `text`: one or two plain sentences: what the instruction pops and pushes
 *   and what its argument means, for the versions named. `{*}` stands for the
 *   part of the opname matched by `*` (e.g. `INSTRUMENTED_*` names its base).
 * - `notes`: extra sentences appended when the version is within the note's
 *   own `since` / `until`.
 * - `name`: a label for the family (what the panel may show as its group);
 *   defaults to the first pattern.
 *
 * Lookup: only families whose range covers the version take part. An exact
 * name beats a prefix; among prefixes the longest wins; remaining ties go to
 * the first in this list. A name listed exactly anywhere is never matched by a
 * prefix (outside its own versions it gets no text, only the docs link). The same name may appear in several families whose
 * ranges do not overlap (that is how a text changes across versions).
 *
 * Stack wording: "the top item" is the top of the value stack, "the item below
 * it" the next one down; "code units" are the 2-byte units jumps count in.
 */

export type PyVersion = readonly [major: number, minor: number];

export interface OpcodeNote {
  readonly since?: PyVersion;
  readonly until?: PyVersion;
  readonly text: string;
}

export interface OpcodeFamily {
  readonly name?: string;
  readonly match: readonly string[];
  readonly text: string;
  readonly since?: PyVersion;
  readonly until?: PyVersion;
  readonly notes?: readonly OpcodeNote[];
}

/** A jump counted in bytes (3.8–3.9) or in code units (3.10+). */
const JUMP_UNITS: readonly OpcodeNote[] = [
  { until: [3, 9], text: 'The distance is in bytes.' },
  { since: [3, 10], text: 'The distance is in code units (2 bytes each); dis shows the target offset.' },
];

/** An absolute jump target: a byte offset (3.8–3.9) or an instruction index (3.10). */
const ABSOLUTE_TARGET: readonly OpcodeNote[] = [
  { until: [3, 9], text: 'The target is a byte offset.' },
  { since: [3, 10], text: 'The target is an instruction index (half the byte offset dis shows).' },
];

/** An absolute target until 3.10, a relative one in 3.11 (the JUMP_IF_*_OR_POP pair). */
const ABSOLUTE_THEN_RELATIVE: readonly OpcodeNote[] = [
  { until: [3, 9], text: 'The target is a byte offset.' },
  { since: [3, 10], until: [3, 10], text: 'The target is an instruction index (half the byte offset dis shows).' },
  { since: [3, 11], text: 'The jump is relative: delta code units forward.' },
];

/** Cell and free variable slots: their own numbering before 3.11, fast-locals slots since. */
const CELL_SLOT: readonly OpcodeNote[] = [
  { until: [3, 10], text: 'Slot i counts the cell variables first, then the free ones (co_cellvars + co_freevars).' },
  { since: [3, 11], text: "Slot i is an index into the frame's fast locals, shared with ordinary local variables." },
];

/** The specializations of `base`, named `<prefix>_<suffix>` (the prefix is usually the base's own name). */
function specialized(base: string, since: PyVersion, until?: PyVersion, prefix: string = base): OpcodeFamily {
  return {
    match: [`${prefix}_*`],
    since,
    ...(until ? { until } : {}),
    text:
      `A specialization of ${base}, written in its place at run time by the adaptive interpreter once it keeps meeting the case the suffix names ` +
      `(an operand type, where a name lives, a kind of callable). It takes a faster path for that case and falls back to ${base} when the case no longer holds.`,
  };
}

export const OPCODE_FAMILIES: readonly OpcodeFamily[] = [
  // ---------------------------------------------------------------- stack and no-ops
  {
    match: ['NOP'],
    text: 'Does nothing. The compiler keeps it as a placeholder, for example so that a line still has an instruction for line tracing.',
  },
  { match: ['POP_TOP'], text: 'Pops the top item and discards it.' },
  { match: ['ROT_TWO'], until: [3, 10], text: 'Swaps the two topmost items.' },
  {
    match: ['ROT_THREE'],
    until: [3, 10],
    text: 'Rotates the top three items: the top item moves down to third place and the two below it move up one place.',
  },
  {
    match: ['ROT_FOUR'],
    until: [3, 10],
    text: 'Rotates the top four items: the top item moves down to fourth place and the three below it move up one place.',
  },
  {
    match: ['ROT_N'],
    since: [3, 10],
    until: [3, 10],
    text: 'Rotates the top count items: the top item moves down to position count and the items in between move up one place.',
  },
  { match: ['DUP_TOP'], until: [3, 10], text: 'Pushes another reference to the top item.' },
  { match: ['DUP_TOP_TWO'], until: [3, 10], text: 'Pushes copies of the two topmost items, keeping their order.' },
  {
    match: ['COPY'],
    since: [3, 11],
    text: 'Pushes another reference to the i-th item from the top (COPY 1 duplicates the top item), leaving the original in place.',
  },
  { match: ['SWAP'], since: [3, 11], text: 'Swaps the top item with the i-th item from the top (SWAP 2 swaps the two topmost items).' },
  {
    match: ['PUSH_NULL'],
    since: [3, 11],
    until: [3, 12],
    text: 'Pushes a NULL marker before a callable that is not a method, so that a call finds the layout NULL, callable, arguments (the same shape as method, self, arguments).',
  },
  {
    match: ['PUSH_NULL'],
    since: [3, 13],
    text: 'Pushes a NULL marker after a callable that has no bound self, so that a call finds the layout callable, NULL, arguments (the same shape as method, self, arguments).',
  },
  {
    match: ['CACHE'],
    since: [3, 11],
    text: 'Not a real instruction: an inline cache slot belonging to the instruction before it, where the adaptive interpreter keeps counters and specialization data. It is skipped, never executed; dis hides it unless show_caches=True.',
  },
  {
    match: ['EXTENDED_ARG'],
    text: "A prefix for an instruction whose argument does not fit in one byte: its own argument becomes the next higher byte of the following instruction's argument. Up to three can be chained, for a 32-bit argument.",
  },
  {
    match: ['RESUME'],
    since: [3, 11],
    text: 'A no-op marking where execution starts or resumes in a frame; the interpreter checks for tracing and pending interrupts here. The low two bits of the argument say where: 0 at the start of a function, 1 after a yield, 2 after a yield from, 3 after an await.',
    notes: [
      {
        since: [3, 13],
        until: [3, 14],
        text: "The argument has 4 added when no try block of the function's own surrounds it (exception depth 1), which lets closing a generator take a short cut.",
      },
      {
        since: [3, 15],
        text: "The location takes the low three bits (4 marks the start of a generator expression's code, before its RETURN_GENERATOR), and 8 is added at exception depth 1.",
      },
    ],
  },

  // ---------------------------------------------------------------- unary
  { match: ['UNARY_POSITIVE'], until: [3, 11], text: 'Replaces the top item with +item.' },
  { match: ['UNARY_NEGATIVE'], text: 'Replaces the top item with -item.' },
  {
    match: ['UNARY_NOT'],
    text: 'Replaces the top item with `not item`.',
    notes: [{ since: [3, 13], text: 'The operand must already be an exact bool; the compiler puts a TO_BOOL before it.' }],
  },
  { match: ['UNARY_INVERT'], text: 'Replaces the top item with ~item.' },
  { match: ['GET_ITER'], until: [3, 14], text: 'Replaces the top item with iter(item), as at the start of a for loop.' },
  {
    match: ['GET_ITER'],
    since: [3, 15],
    text: 'Replaces the top item with a pair that FOR_ITER, SEND and POP_ITER take together: iter(item) and a NULL above it, or, for a list or tuple walked in place (a virtual iterator), the sequence itself and an index. The argument is 0 for a for loop or comprehension; yield from uses a nonzero one (dis shows 3), and then, as GET_YIELD_FROM_ITER did before, a generator or coroutine is kept as it is.',
  },
  {
    match: ['GET_YIELD_FROM_ITER'],
    until: [3, 14],
    text: 'Prepares the operand of `yield from`: a generator, or a coroutine when used from a coroutine, stays as it is; anything else is replaced by iter(item).',
  },
  {
    match: ['TO_BOOL'],
    since: [3, 13],
    text: 'Replaces the top item with bool(item). Conditional jumps and UNARY_NOT need an exact bool from 3.13, so the compiler puts this before them when needed.',
  },

  // ---------------------------------------------------------------- binary operators before 3.11
  { match: ['BINARY_ADD'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left + right.' },
  { match: ['BINARY_SUBTRACT'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left - right.' },
  { match: ['BINARY_MULTIPLY'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left * right.' },
  { match: ['BINARY_MATRIX_MULTIPLY'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left @ right.' },
  { match: ['BINARY_TRUE_DIVIDE'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left / right.' },
  { match: ['BINARY_FLOOR_DIVIDE'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left // right.' },
  {
    match: ['BINARY_MODULO'],
    until: [3, 10],
    text: 'Pops the right operand, then the left one, and pushes left % right (also printf-style string formatting).',
  },
  { match: ['BINARY_POWER'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left ** right.' },
  { match: ['BINARY_LSHIFT'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left << right.' },
  { match: ['BINARY_RSHIFT'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left >> right.' },
  { match: ['BINARY_AND'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left & right.' },
  { match: ['BINARY_OR'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left | right.' },
  { match: ['BINARY_XOR'], until: [3, 10], text: 'Pops the right operand, then the left one, and pushes left ^ right.' },
  {
    match: ['INPLACE_ADD'],
    until: [3, 10],
    text: 'For x += y: pops the right operand, then the left one, and pushes the result of the in-place +, which calls __iadd__ when the left operand has it and otherwise falls back to +.',
  },
  {
    match: ['INPLACE_SUBTRACT'],
    until: [3, 10],
    text: 'For x -= y: pops the right operand, then the left one, and pushes the result of the in-place -, which calls __isub__ when the left operand has it and otherwise falls back to -.',
  },
  {
    match: ['INPLACE_MULTIPLY'],
    until: [3, 10],
    text: 'For x *= y: pops the right operand, then the left one, and pushes the result of the in-place *, which calls __imul__ when the left operand has it and otherwise falls back to *.',
  },
  {
    match: ['INPLACE_MATRIX_MULTIPLY'],
    until: [3, 10],
    text: 'For x @= y: pops the right operand, then the left one, and pushes the result of the in-place @, which calls __imatmul__ when the left operand has it and otherwise falls back to @.',
  },
  {
    match: ['INPLACE_TRUE_DIVIDE'],
    until: [3, 10],
    text: 'For x /= y: pops the right operand, then the left one, and pushes the result of the in-place /, which calls __itruediv__ when the left operand has it and otherwise falls back to /.',
  },
  {
    match: ['INPLACE_FLOOR_DIVIDE'],
    until: [3, 10],
    text: 'For x //= y: pops the right operand, then the left one, and pushes the result of the in-place //, which calls __ifloordiv__ when the left operand has it and otherwise falls back to //.',
  },
  {
    match: ['INPLACE_MODULO'],
    until: [3, 10],
    text: 'For x %= y: pops the right operand, then the left one, and pushes the result of the in-place %, which calls __imod__ when the left operand has it and otherwise falls back to %.',
  },
  {
    match: ['INPLACE_POWER'],
    until: [3, 10],
    text: 'For x **= y: pops the right operand, then the left one, and pushes the result of the in-place **, which calls __ipow__ when the left operand has it and otherwise falls back to **.',
  },
  {
    match: ['INPLACE_LSHIFT'],
    until: [3, 10],
    text: 'For x <<= y: pops the right operand, then the left one, and pushes the result of the in-place <<, which calls __ilshift__ when the left operand has it and otherwise falls back to <<.',
  },
  {
    match: ['INPLACE_RSHIFT'],
    until: [3, 10],
    text: 'For x >>= y: pops the right operand, then the left one, and pushes the result of the in-place >>, which calls __irshift__ when the left operand has it and otherwise falls back to >>.',
  },
  {
    match: ['INPLACE_AND'],
    until: [3, 10],
    text: 'For x &= y: pops the right operand, then the left one, and pushes the result of the in-place &, which calls __iand__ when the left operand has it and otherwise falls back to &.',
  },
  {
    match: ['INPLACE_OR'],
    until: [3, 10],
    text: 'For x |= y: pops the right operand, then the left one, and pushes the result of the in-place |, which calls __ior__ when the left operand has it and otherwise falls back to |.',
  },
  {
    match: ['INPLACE_XOR'],
    until: [3, 10],
    text: 'For x ^= y: pops the right operand, then the left one, and pushes the result of the in-place ^, which calls __ixor__ when the left operand has it and otherwise falls back to ^.',
  },

  // ---------------------------------------------------------------- binary operators, subscripts, slices
  {
    match: ['BINARY_OP'],
    since: [3, 11],
    text: 'Pops the right operand, then the left one, and pushes the result of the operator its argument selects: one of the NB_* codes, covering every binary operator (+ - * / // % ** @ << >> & | ^) and its in-place form used by augmented assignment. dis shows the operator.',
    notes: [{ since: [3, 14], text: 'With the NB_SUBSCR argument it also does subscription, container[key], replacing BINARY_SUBSCR.' }],
  },
  { match: ['BINARY_SUBSCR'], until: [3, 13], text: 'Pops the key, then the container, and pushes container[key].' },
  { match: ['STORE_SUBSCR'], text: 'Pops the key, the container and the value below them, and does container[key] = value.' },
  { match: ['DELETE_SUBSCR'], text: 'Pops the key, then the container, and does del container[key].' },
  { match: ['BINARY_SLICE'], since: [3, 12], text: 'Pops the end, the start and the container, and pushes container[start:end].' },
  {
    match: ['STORE_SLICE'],
    since: [3, 12],
    text: 'Pops the end, the start, the container and the value below them, and does container[start:end] = value.',
  },

  // ---------------------------------------------------------------- comparisons
  {
    match: ['COMPARE_OP'],
    until: [3, 8],
    text: 'Pops two operands and pushes the result of the comparison its argument selects, an index into dis.cmp_op. In 3.8 that table also has in, not in, is, is not and the exception match used by except clauses.',
  },
  {
    match: ['COMPARE_OP'],
    since: [3, 9],
    until: [3, 11],
    text: 'Pops two operands and pushes the result of the rich comparison its argument selects, an index into dis.cmp_op (<, <=, ==, !=, >, >=).',
  },
  {
    match: ['COMPARE_OP'],
    since: [3, 12],
    until: [3, 12],
    text: 'Pops two operands and pushes the result of the rich comparison dis.cmp_op[arg >> 4] (<, <=, ==, !=, >, >=); the low four bits of the argument are a mask used by the specialized forms.',
  },
  {
    match: ['COMPARE_OP'],
    since: [3, 13],
    text: 'Pops two operands and pushes the result of the rich comparison dis.cmp_op[arg >> 5] (<, <=, ==, !=, >, >=). When the argument has 16 added, the result is converted to bool, ready for a conditional jump (dis shows bool(<)).',
  },
  {
    match: ['IS_OP'],
    since: [3, 9],
    text: 'Pops two operands and pushes the result of `left is right`, or of `left is not right` when the argument is 1.',
  },
  {
    match: ['CONTAINS_OP'],
    since: [3, 9],
    text: 'Pops two operands and pushes the result of `left in right`, or of `left not in right` when the argument is 1.',
  },

  // ---------------------------------------------------------------- building containers
  { match: ['BUILD_TUPLE'], text: 'Pops count items and pushes a tuple of them, the deepest item first.' },
  { match: ['BUILD_LIST'], text: 'Pops count items and pushes a list of them, the deepest item first.' },
  { match: ['BUILD_SET'], text: 'Pops count items and pushes a set of them.' },
  { match: ['BUILD_MAP'], text: 'Pops count key/value pairs (2 * count items, each key below its value) and pushes a dict of them.' },
  {
    match: ['BUILD_CONST_KEY_MAP'],
    until: [3, 13],
    text: 'Pops a tuple of count keys and the count values below it, and pushes a dict mapping each key to its value.',
  },
  { match: ['BUILD_STRING'], text: 'Pops count strings and pushes their concatenation; used by f-strings.' },
  {
    match: ['BUILD_SLICE'],
    text: 'Pops 2 items (start, stop) or, when the argument is 3, 3 items (start, stop, step), and pushes a slice object.',
  },
  {
    match: ['BUILD_TUPLE_UNPACK'],
    until: [3, 8],
    text: 'Pops count iterables and pushes one tuple of all their items, for starred displays such as (*a, *b).',
  },
  {
    match: ['BUILD_TUPLE_UNPACK_WITH_CALL'],
    until: [3, 8],
    text: 'Pops count iterables and pushes one tuple of all their items: the positional arguments of a call such as f(*a, *b).',
  },
  { match: ['BUILD_LIST_UNPACK'], until: [3, 8], text: 'Pops count iterables and pushes one list of all their items, for [*a, *b].' },
  { match: ['BUILD_SET_UNPACK'], until: [3, 8], text: 'Pops count iterables and pushes one set of all their items, for {*a, *b}.' },
  { match: ['BUILD_MAP_UNPACK'], until: [3, 8], text: 'Pops count mappings and pushes one dict merging them in order, for {**a, **b}.' },
  {
    match: ['BUILD_MAP_UNPACK_WITH_CALL'],
    until: [3, 8],
    text: 'Pops count mappings and pushes one dict merging them: the keyword arguments of a call such as f(**a, **b). A repeated keyword raises TypeError.',
  },
  {
    match: ['LIST_APPEND'],
    text: 'Pops a value and appends it to the list i items down the stack, which stays there; used by list comprehensions.',
  },
  {
    match: ['SET_ADD'],
    text: 'Pops a value and adds it to the set i items down the stack, which stays there; used by set comprehensions.',
  },
  {
    match: ['MAP_ADD'],
    text: 'Pops a value and the key below it and stores them in the dict i items down the stack, which stays there; used by dict comprehensions.',
  },
  {
    match: ['LIST_EXTEND'],
    since: [3, 9],
    text: 'Pops an iterable and extends the list i items down the stack with it; used to build list (and tuple) displays with starred items.',
  },
  {
    match: ['SET_UPDATE'],
    since: [3, 9],
    text: 'Pops an iterable and adds its items to the set i items down the stack; used to build set displays.',
  },
  {
    match: ['DICT_UPDATE'],
    since: [3, 9],
    text: 'Pops a mapping and updates the dict i items down the stack with it; used for {**a, ...} displays.',
  },
  {
    match: ['DICT_MERGE'],
    since: [3, 9],
    text: 'Like DICT_UPDATE, but a key that is already present raises TypeError; used to gather the keyword arguments of f(**a, **b).',
  },
  {
    match: ['LIST_TO_TUPLE'],
    since: [3, 9],
    until: [3, 11],
    text: 'Pops a list and pushes a tuple of the same items; the last step of building a tuple display with starred items.',
  },
  {
    match: ['UNPACK_SEQUENCE'],
    text: 'Pops an iterable that must have exactly count items and pushes them last item first, so that the first one ends up on top, ready for the stores that follow.',
  },
  {
    match: ['UNPACK_EX'],
    text: "Assignment with a starred target: pops an iterable and pushes its items (the first target's value on top), the starred target getting a list of the rest. The low byte of the argument is the number of targets before the star, the high byte the number after it.",
  },

  // ---------------------------------------------------------------- constants and names
  { match: ['LOAD_CONST'], text: 'Pushes the constant co_consts[consti].' },
  { match: ['LOAD_SMALL_INT'], since: [3, 14], text: 'Pushes the int equal to its argument (0 to 255), without a co_consts entry.' },
  {
    match: ['LOAD_COMMON_CONSTANT'],
    since: [3, 14],
    text: 'Pushes one of a few objects built into the interpreter, chosen by the argument (an index into dis._common_constants): AssertionError for a failing assert, NotImplementedError, and the builtins tuple, all and any, which the compiler uses for inlined calls.',
    notes: [
      {
        since: [3, 15],
        text: 'The table also has list, set, None, the empty string, True, False and -1, so these no longer take a co_consts entry.',
      },
    ],
  },
  {
    match: ['LOAD_NAME'],
    text: 'Pushes the value of the name co_names[namei], looked up in the local namespace, then the globals, then the builtins; used at module and class level.',
  },
  { match: ['STORE_NAME'], text: 'Pops a value and binds the name co_names[namei] to it in the local namespace (module or class body).' },
  { match: ['DELETE_NAME'], text: 'Deletes the name co_names[namei] from the local namespace (del name at module or class level).' },
  {
    match: ['LOAD_GLOBAL'],
    until: [3, 10],
    text: "Pushes the global named co_names[namei], looked up in the module's globals and then the builtins.",
  },
  {
    match: ['LOAD_GLOBAL'],
    since: [3, 11],
    until: [3, 12],
    text: 'Pushes the global named co_names[namei >> 1], looked up in the globals and then the builtins. When the low bit of the argument is set it first pushes a NULL, ready for a CALL (dis shows `NULL + name`).',
  },
  {
    match: ['LOAD_GLOBAL'],
    since: [3, 13],
    text: 'Pushes the global named co_names[namei >> 1], looked up in the globals and then the builtins. When the low bit of the argument is set it also pushes a NULL after it, ready for a CALL (dis shows `name + NULL`).',
  },
  { match: ['STORE_GLOBAL'], text: 'Pops a value and binds the global co_names[namei] to it.' },
  { match: ['DELETE_GLOBAL'], text: 'Deletes the global co_names[namei].' },
  { match: ['LOAD_BUILD_CLASS'], text: 'Pushes builtins.__build_class__, which is then called to create a class from its body function.' },
  {
    match: ['LOAD_ASSERTION_ERROR'],
    since: [3, 9],
    until: [3, 13],
    text: 'Pushes AssertionError, for a failing assert statement to raise.',
  },
  {
    match: ['SETUP_ANNOTATIONS'],
    until: [3, 13],
    text: 'Creates __annotations__ as an empty dict in the local namespace unless it already exists; emitted for module and class bodies that contain variable annotations.',
  },
  {
    match: ['SETUP_ANNOTATIONS'],
    since: [3, 14],
    text: 'Creates __annotations__ as an empty dict in the local namespace unless it already exists. Since annotations are deferred (PEP 649) it is emitted only for a module or class body under `from __future__ import annotations`, whose annotations are still stored as strings.',
  },
  {
    match: ['ANNOTATIONS_PLACEHOLDER'],
    since: [3, 14],
    text: "Pseudo-instruction: marks the place in a module or class body where the compiler, once it has seen all the body's annotations, puts the code that creates the __annotate__ function (PEP 649). It emits nothing itself.",
  },
  {
    match: ['IMPORT_NAME'],
    text: 'Pops the fromlist and the level below it, imports the module co_names[namei] through __import__, and pushes the module; a following store binds it.',
    until: [3, 14],
  },
  {
    match: ['IMPORT_NAME'],
    since: [3, 15],
    text: 'Pops the fromlist and the level below it, imports the module co_names[namei >> 2] through __import__, and pushes the module; a following store binds it. The low two bits are the lazy-import mode (PEP 810): 1 for `lazy import`, which pushes a proxy that imports on first use, 2 where it must stay eager (inside try, or `import *`), 0 for an ordinary import, which the global lazy-imports setting decides (dis shows `+ lazy`, `+ eager`).',
  },
  {
    match: ['IMPORT_FROM'],
    text: 'Loads the attribute co_names[namei] from the module on top of the stack (which stays) and pushes it, for `from module import name`.',
  },
  {
    match: ['IMPORT_STAR'],
    until: [3, 11],
    text: 'Pops a module and binds all its public names (those in __all__, or else those not starting with an underscore) in the local namespace: `from module import *`.',
  },
  {
    match: ['PRINT_EXPR'],
    until: [3, 11],
    text: 'Interactive mode only: pops the value of an expression statement and passes it to sys.displayhook.',
  },

  // ---------------------------------------------------------------- local variables
  {
    match: ['LOAD_FAST'],
    until: [3, 11],
    text: 'Pushes the local variable co_varnames[var_num]; raises UnboundLocalError if it has no value.',
  },
  {
    match: ['LOAD_FAST'],
    since: [3, 12],
    text: 'Pushes the local variable co_varnames[var_num]. The compiler uses it only where the variable is known to be bound; elsewhere it uses LOAD_FAST_CHECK.',
  },
  {
    match: ['LOAD_FAST_CHECK'],
    since: [3, 12],
    text: 'Pushes the local variable co_varnames[var_num], raising UnboundLocalError if it has no value; used where the compiler cannot prove it is bound.',
  },
  {
    match: ['LOAD_FAST_AND_CLEAR'],
    since: [3, 12],
    text: 'Pushes the local variable co_varnames[var_num] (or NULL if it is unbound) and then unbinds it; used to save a variable that an inlined comprehension shadows (PEP 709).',
  },
  {
    match: ['LOAD_FAST_LOAD_FAST'],
    since: [3, 13],
    text: 'Pushes two local variables in one step: co_varnames[arg >> 4], then co_varnames[arg & 15].',
  },
  {
    match: ['LOAD_FAST_BORROW'],
    since: [3, 14],
    text: 'Pushes the local variable co_varnames[var_num] as a borrowed reference, without touching its reference count; the compiler uses it where it can prove the variable outlives that stack entry.',
  },
  {
    match: ['LOAD_FAST_BORROW_LOAD_FAST_BORROW'],
    since: [3, 14],
    text: 'Pushes two local variables as borrowed references in one step: co_varnames[arg >> 4], then co_varnames[arg & 15].',
  },
  { match: ['STORE_FAST'], text: 'Pops a value into the local variable co_varnames[var_num].' },
  {
    match: ['STORE_FAST_LOAD_FAST'],
    since: [3, 13],
    text: 'Pops a value into the local variable co_varnames[arg >> 4], then pushes the local variable co_varnames[arg & 15].',
  },
  {
    match: ['STORE_FAST_STORE_FAST'],
    since: [3, 13],
    text: 'Pops the top value into the local variable co_varnames[arg >> 4] and the next one into co_varnames[arg & 15].',
  },
  {
    match: ['STORE_FAST_MAYBE_NULL'],
    since: [3, 12],
    text: 'Pseudo-instruction: a STORE_FAST whose value may be NULL, used to restore a variable saved by LOAD_FAST_AND_CLEAR after an inlined comprehension. It is emitted as STORE_FAST.',
  },
  { match: ['DELETE_FAST'], text: 'Unbinds the local variable co_varnames[var_num] (del name in a function).' },

  // ---------------------------------------------------------------- cells, closures, class namespaces
  {
    match: ['LOAD_CLOSURE'],
    until: [3, 12],
    text: 'Pushes the cell object in slot i itself, not its contents, to build the closure tuple of a nested function.',
    notes: CELL_SLOT,
  },
  {
    match: ['LOAD_CLOSURE'],
    since: [3, 13],
    text: 'Pseudo-instruction: pushes the cell object in fast-locals slot i, to build the closure tuple of a nested function. The assembler emits LOAD_FAST instead.',
  },
  {
    match: ['LOAD_DEREF'],
    text: 'Pushes the value held by the cell in slot i: a variable shared between a function and a nested one. Raises NameError (or UnboundLocalError) if the cell is empty.',
    notes: CELL_SLOT,
  },
  {
    match: ['STORE_DEREF'],
    text: 'Pops a value into the cell in slot i: a variable shared between a function and a nested one.',
    notes: CELL_SLOT,
  },
  { match: ['DELETE_DEREF'], text: 'Empties the cell in slot i (del on a variable shared with a nested function).', notes: CELL_SLOT },
  {
    match: ['LOAD_CLASSDEREF'],
    until: [3, 11],
    text: 'Like LOAD_DEREF, but looks the name up in the local namespace first; used in class bodies for variables of an enclosing function.',
    notes: CELL_SLOT,
  },
  {
    match: ['LOAD_FROM_DICT_OR_DEREF'],
    since: [3, 12],
    text: 'Pops a mapping and looks up in it the name of fast-locals slot i; if it is missing, pushes the value of the cell in that slot instead. Used in class bodies and annotation scopes (it replaces LOAD_CLASSDEREF).',
  },
  {
    match: ['LOAD_FROM_DICT_OR_GLOBALS'],
    since: [3, 12],
    text: 'Pops a mapping and looks up co_names[namei] in it, falling back to the globals and then the builtins; used in annotation scopes inside class bodies.',
  },
  {
    match: ['LOAD_LOCALS'],
    since: [3, 12],
    text: 'Pushes the current local namespace mapping, for LOAD_FROM_DICT_OR_DEREF or LOAD_FROM_DICT_OR_GLOBALS to search.',
  },
  {
    match: ['MAKE_CELL'],
    since: [3, 11],
    text: 'Creates a new cell in fast-locals slot i; if the slot already holds a value (an argument, say), the value moves into the cell.',
  },
  {
    match: ['COPY_FREE_VARS'],
    since: [3, 11],
    text: "At the start of a nested function's code: copies the n free variables (cells) of the function's closure into the frame's free-variable slots.",
  },

  // ---------------------------------------------------------------- attributes and methods
  { match: ['LOAD_ATTR'], until: [3, 11], text: 'Replaces the object on top with its attribute co_names[namei] (getattr(obj, name)).' },
  {
    match: ['LOAD_ATTR'],
    since: [3, 12],
    until: [3, 12],
    text: 'Replaces the object on top with its attribute co_names[namei >> 1]. When the low bit of the argument is set it is a method load for a CALL: it pushes the unbound method and the object (as self), or NULL and the attribute if there is no such plain method (dis shows `NULL|self + name`).',
  },
  {
    match: ['LOAD_ATTR'],
    since: [3, 13],
    text: 'Replaces the object on top with its attribute co_names[namei >> 1]. When the low bit of the argument is set it is a method load for a CALL: it pushes the unbound method and then the object (as self), or the attribute and then NULL if there is no such plain method (dis shows `name + NULL|self`).',
  },
  {
    match: ['LOAD_METHOD'],
    until: [3, 11],
    text: 'Pops an object and looks up co_names[namei] on it for a call: pushes the unbound method and the object (as self) when its type has a plain method of that name, or else NULL and the attribute.',
  },
  {
    match: ['LOAD_METHOD'],
    since: [3, 12],
    until: [3, 13],
    text: 'Pseudo-instruction: the compiler emits it as LOAD_ATTR with the method-load (low) bit of the argument set.',
  },
  {
    match: ['STORE_ATTR'],
    text: 'Pops the object and the value below it, and sets the attribute co_names[namei] of the object to the value (obj.name = value).',
  },
  { match: ['DELETE_ATTR'], text: 'Pops an object and deletes its attribute co_names[namei] (del obj.name).' },
  {
    match: ['LOAD_SUPER_ATTR'],
    since: [3, 12],
    text: 'Implements super().name and super(cls, self).name: pops self, the class and the global super, and loads co_names[namei >> 2] through super. Bit 0 of the argument makes it a method load, as in LOAD_ATTR; bit 1 is set for the two-argument form.',
  },
  {
    name: 'super() pseudo-instructions',
    match: ['LOAD_SUPER_METHOD', 'LOAD_ZERO_SUPER_METHOD', 'LOAD_ZERO_SUPER_ATTR'],
    since: [3, 12],
    until: [3, 13],
    text: 'Pseudo-instruction: the compiler emits it as LOAD_SUPER_ATTR with the matching flag bits (METHOD: a method load; ZERO: the zero-argument super() form).',
  },
  {
    match: ['LOAD_SPECIAL'],
    since: [3, 14],
    text: 'Looks up a special method chosen by the argument (such as __enter__ or __exit__) on the type of the top item, and replaces the item by the method and the object, or by the attribute and NULL; used by with and async with.',
  },

  // ---------------------------------------------------------------- calls and functions
  {
    match: ['CALL_FUNCTION'],
    until: [3, 10],
    text: 'Pops argc positional arguments and then the callable, calls it, and pushes the result.',
  },
  {
    match: ['CALL_FUNCTION_KW'],
    until: [3, 10],
    text: 'A call with keyword arguments: pops a tuple of keyword names, argc argument values (the positional ones, then one per name) and the callable, calls it, and pushes the result.',
  },
  {
    match: ['CALL_METHOD'],
    until: [3, 10],
    text: 'Calls what LOAD_METHOD loaded with argc positional arguments: pops the arguments and the two items LOAD_METHOD pushed, and pushes the result. Keyword calls use CALL_FUNCTION_KW instead.',
  },
  {
    match: ['CALL_FUNCTION_EX'],
    until: [3, 13],
    text: 'A call with unpacked arguments, f(*args, **kwargs): pops a dict of keyword arguments if bit 0 of the argument is set, then an iterable of positional arguments, then the callable, calls it, and pushes the result.',
    notes: [
      { since: [3, 11], until: [3, 12], text: 'A NULL pushed before the callable is popped with it.' },
      { since: [3, 13], text: 'A NULL pushed after the callable is popped with it.' },
    ],
  },
  {
    match: ['CALL_FUNCTION_EX'],
    since: [3, 14],
    text: 'A call with unpacked arguments, f(*args, **kwargs): pops the dict of keyword arguments (or a NULL when there are none), the positional arguments (a tuple, or an iterable it turns into one), the self or NULL below them and the callable, calls it, and pushes the result. It has no argument.',
  },
  {
    match: ['PRECALL'],
    since: [3, 11],
    until: [3, 11],
    text: 'Comes just before each CALL, with the same argc: it prepares the call (for instance splitting a bound method into function and self) and gives the specializer a place to act; CALL then makes the call.',
  },
  {
    match: ['KW_NAMES'],
    since: [3, 11],
    until: [3, 12],
    text: 'Records the tuple of keyword names co_consts[consti] for the CALL that follows; the last arguments of that call are then keyword arguments. Leaves the stack alone.',
  },
  {
    match: ['CALL'],
    since: [3, 11],
    until: [3, 12],
    text: 'Calls with argc arguments, not counting self. Below the arguments are either NULL and the callable, or a method and its self; after a KW_NAMES the last arguments are keyword arguments. Pops all of it and pushes the result.',
  },
  {
    match: ['CALL'],
    since: [3, 13],
    text: 'Calls with argc positional arguments, not counting self. Below the arguments are the callable and then either its self (for a method) or NULL. Pops all of it and pushes the result; calls with keyword arguments use CALL_KW.',
  },
  {
    match: ['CALL_KW'],
    since: [3, 13],
    text: 'A call with keyword arguments: on top is a tuple of keyword names, below it argc argument values (the positional ones, then one per name), then self or NULL, then the callable. Pops all of it and pushes the result.',
  },
  {
    match: ['CALL_INTRINSIC_1'],
    since: [3, 12],
    text: 'Calls an interpreter helper on the top item and replaces it with the result; the argument picks the helper (printing in the REPL, import *, turning StopIteration into a return value, unary +, list to tuple, creating TypeVars and type aliases, and so on).',
  },
  {
    match: ['CALL_INTRINSIC_2'],
    since: [3, 12],
    text: "Pops two values, calls an interpreter helper on them, and pushes the result; the argument picks the helper (the exception group to re-raise after except*, a TypeVar with a bound or constraints, setting a function's __type_params__, and so on).",
  },
  {
    match: ['MAKE_FUNCTION'],
    until: [3, 9],
    text: 'Pops the qualified name and the code object, plus the extra items below them that the flag bits announce, and pushes a new function. Flags: 0x01 a tuple of defaults, 0x02 a dict of keyword-only defaults, 0x04 a dict of annotations, 0x08 a tuple of cells for the closure.',
  },
  {
    match: ['MAKE_FUNCTION'],
    since: [3, 10],
    until: [3, 10],
    text: 'Pops the qualified name and the code object, plus the extra items below them that the flag bits announce, and pushes a new function. Flags: 0x01 a tuple of defaults, 0x02 a dict of keyword-only defaults, 0x04 the annotations as a tuple of strings, 0x08 a tuple of cells for the closure.',
  },
  {
    match: ['MAKE_FUNCTION'],
    since: [3, 11],
    until: [3, 12],
    text: 'Pops the code object, plus the extra items below it that the flag bits announce, and pushes a new function. Flags: 0x01 a tuple of defaults, 0x02 a dict of keyword-only defaults, 0x04 the annotations as a tuple of strings, 0x08 a tuple of cells for the closure.',
  },
  {
    match: ['MAKE_FUNCTION'],
    since: [3, 13],
    text: 'Pops a code object and pushes a new function made from it. Defaults, annotations and the closure are attached afterwards by SET_FUNCTION_ATTRIBUTE.',
  },
  {
    match: ['SET_FUNCTION_ATTRIBUTE'],
    since: [3, 13],
    text: 'Pops a function and the value below it, sets the attribute the flag selects (0x01 positional defaults, 0x02 keyword-only defaults, 0x04 annotations, 0x08 the closure) to that value, and pushes the function back.',
    notes: [{ since: [3, 14], text: "Flag 0x10 sets the function's annotate function." }],
  },
  { match: ['RETURN_VALUE'], text: 'Returns the top item to the caller, ending the function (or the module or class body).' },
  {
    match: ['RETURN_CONST'],
    since: [3, 12],
    until: [3, 13],
    text: 'Returns the constant co_consts[consti] to the caller; it stands for a LOAD_CONST followed by RETURN_VALUE.',
  },
  {
    match: ['RETURN_GENERATOR'],
    since: [3, 11],
    text: 'First instruction of a generator, coroutine or async generator function: creates the generator object from the current frame and returns it to the caller; the body runs when it is resumed.',
  },
  {
    match: ['GEN_START'],
    since: [3, 10],
    until: [3, 10],
    text: 'First instruction of a generator, coroutine or async generator: pops the value sent in when it first starts (always None). The argument is the kind: 0 generator, 1 coroutine, 2 async generator.',
  },

  // ---------------------------------------------------------------- generators and coroutines
  {
    match: ['YIELD_VALUE'],
    text: 'Pops the top item and yields it from the generator. When the generator is resumed, the value sent in (None for next()) is pushed.',
    notes: [
      { since: [3, 12], until: [3, 12], text: 'The argument is the exception-block depth, used when the generator is closed.' },
      { since: [3, 13], text: 'The argument is 1 inside a yield from or await, 0 for a plain yield.' },
    ],
  },
  {
    match: ['YIELD_FROM'],
    until: [3, 10],
    text: 'Delegates to a sub-iterator for yield from and await: sends the top item into the iterator below it; while that yields, this generator yields the same values, and when it finishes its return value replaces both items.',
  },
  {
    match: ['SEND'],
    since: [3, 11],
    until: [3, 11],
    text: 'Sends the top item into the sub-iterator below it (yield from, await). If that yields, the yielded value replaces the sent one; if it finishes, both are popped, its return value is pushed and execution jumps forward by delta.',
  },
  {
    match: ['SEND'],
    since: [3, 12],
    text: 'Sends the top item into the sub-iterator below it (yield from, await). If that yields, the yielded value replaces the sent one; if it finishes, its return value replaces the sent one and execution jumps forward by delta, to an END_SEND.',
    notes: [
      {
        since: [3, 15],
        text: 'The sub-iterator takes two items: it and a NULL (or an index) above it, as GET_ITER pushes them; after GET_AWAITABLE a PUSH_NULL adds the NULL.',
      },
    ],
  },
  {
    match: ['END_SEND'],
    since: [3, 12],
    until: [3, 14],
    text: 'Removes the item below the top (a finished sub-iterator), keeping the top item (its result).',
  },
  {
    match: ['END_SEND'],
    since: [3, 15],
    text: 'Removes the two items below the top (a finished sub-iterator and the NULL or index pushed with it), keeping the top item (its result).',
  },
  {
    match: ['CLEANUP_THROW'],
    since: [3, 12],
    text: "Handles an exception raised while throw() or close() was passed on to a sub-iterator in yield from or await: a StopIteration is turned into the result, replacing the sub-iterator's items with its value; any other exception is re-raised.",
  },
  {
    match: ['ASYNC_GEN_WRAP'],
    since: [3, 11],
    until: [3, 11],
    text: 'Wraps the top item to mark it as yielded by an async generator, so that it reaches the consumer instead of the event loop.',
  },
  {
    match: ['GET_AWAITABLE'],
    text: 'Replaces the top item with something to await: a coroutine (or a generator flagged as an iterable coroutine) stays as it is, anything else is replaced by the result of its __await__().',
    notes: [
      {
        since: [3, 11],
        text: 'The argument says where it occurs: 0 in a plain await, 1 after calling __aenter__, 2 after calling __aexit__.',
      },
    ],
  },
  { match: ['GET_AITER'], text: 'Replaces the top item with the result of its __aiter__(), at the start of an async for.' },
  {
    match: ['GET_ANEXT'],
    text: 'Pushes the awaitable from calling __anext__() on the async iterator on top (which stays), for the next step of an async for.',
  },
  {
    match: ['END_ASYNC_FOR'],
    text: 'Ends an async for loop when awaiting the next item raised: if the exception is StopAsyncIteration it is discarded together with the iterator and the loop ends; any other exception is re-raised.',
    notes: [
      { until: [3, 10], text: 'The exception takes several stack items and the previous exception state is restored from them.' },
      { since: [3, 11], text: 'The exception is one stack item, above the iterator.' },
      {
        since: [3, 14],
        text: "Its argument counts back, in code units, to the END_SEND of the loop's await (dis shows `from` that point): it does not jump, but lets sys.monitoring report the loop's exit as a branch from there.",
      },
    ],
  },
  {
    match: ['BEFORE_ASYNC_WITH'],
    until: [3, 13],
    text: 'Starts an async with: pops the asynchronous context manager and pushes its bound __aexit__ and the awaitable returned by calling its __aenter__().',
  },
  {
    match: ['SETUP_ASYNC_WITH'],
    until: [3, 10],
    text: 'Sets up the block protecting the body of an async with, once the __aenter__ awaitable has been awaited; delta points to the cleanup handler.',
  },
  {
    match: ['BEFORE_WITH'],
    since: [3, 11],
    until: [3, 13],
    text: 'Starts a with statement: pops the context manager and pushes its bound __exit__, then the result of calling its __enter__().',
  },

  // ---------------------------------------------------------------- exceptions and blocks
  {
    match: ['SETUP_FINALLY'],
    until: [3, 10],
    text: "Pushes a try block onto the frame's block stack: if an exception is raised inside it, control goes to the except or finally handler delta ahead.",
  },
  {
    match: ['SETUP_FINALLY'],
    since: [3, 12],
    text: 'Pseudo-instruction marking the start of a try region; it emits no code. An exception raised before the matching POP_BLOCK goes, through the exception table, to the handler at target with the stack cut back to its present depth.',
  },
  {
    match: ['SETUP_CLEANUP'],
    since: [3, 12],
    text: 'Pseudo-instruction like SETUP_FINALLY, except that the handler also gets the offset of the failing instruction (lasti) pushed, so that RERAISE can restore it.',
  },
  {
    match: ['SETUP_WITH'],
    until: [3, 10],
    text: 'Starts a with statement: pops the context manager, pushes its bound __exit__, sets up a block whose handler is delta ahead, and pushes the result of calling its __enter__().',
  },
  {
    match: ['SETUP_WITH'],
    since: [3, 12],
    text: 'Pseudo-instruction like SETUP_CLEANUP, used for with and async with: on an exception it also pops the __enter__ result before going to the handler at target. Only the exception table is affected.',
  },
  {
    match: ['POP_BLOCK'],
    until: [3, 10],
    text: "Pops the innermost block from the frame's block stack, when a try or with body is left normally.",
  },
  {
    match: ['POP_BLOCK'],
    since: [3, 12],
    text: 'Pseudo-instruction marking the end of the region opened by the last SETUP_FINALLY, SETUP_CLEANUP or SETUP_WITH; it emits no code.',
  },
  {
    match: ['POP_EXCEPT'],
    until: [3, 10],
    text: 'Leaves an except handler: pops its block and the three saved exception items (type, value, traceback), which restore the previous exception state.',
  },
  {
    match: ['POP_EXCEPT'],
    since: [3, 11],
    text: 'Leaves an except handler: pops the previous exception that PUSH_EXC_INFO saved and makes it the exception being handled again.',
  },
  {
    match: ['PUSH_EXC_INFO'],
    since: [3, 11],
    text: 'Entering an except handler: pops the exception, pushes the exception handled so far (to restore later), pushes the new one back, and makes it the exception being handled.',
  },
  {
    match: ['CHECK_EXC_MATCH'],
    since: [3, 11],
    text: 'For `except T`: pops T and pushes whether the exception below it matches T; the exception stays.',
  },
  {
    match: ['CHECK_EG_MATCH'],
    since: [3, 11],
    text: 'For `except* T`: splits the exception group below the top by T. On a match it pops both and pushes the part that did not match (or None) and then the matching part; with no match it pops T and pushes None.',
  },
  {
    match: ['PREP_RERAISE_STAR'],
    since: [3, 11],
    until: [3, 11],
    text: 'At the end of a try/except*: pops the list of exceptions the handlers raised or re-raised and the original exception group, and pushes the exception left to re-raise (or None).',
  },
  {
    match: ['JUMP_IF_NOT_EXC_MATCH'],
    since: [3, 9],
    until: [3, 10],
    text: 'For `except T`: pops T and the exception type below it, and jumps to target if the exception does not match T.',
    notes: ABSOLUTE_TARGET,
  },
  {
    match: ['RERAISE'],
    since: [3, 9],
    until: [3, 9],
    text: 'Re-raises the exception whose three items (type, value, traceback) are on top of the stack.',
  },
  {
    match: ['RERAISE'],
    since: [3, 10],
    until: [3, 10],
    text: "Re-raises the exception whose three items (type, value, traceback) are on top of the stack. A nonzero argument also restores the frame's f_lasti to where the exception was first raised.",
  },
  {
    match: ['RERAISE'],
    since: [3, 11],
    text: "Re-raises the exception on top of the stack. A nonzero argument also pops the saved offset (lasti) below it and restores the frame's f_lasti from it.",
  },
  {
    match: ['RAISE_VARARGS'],
    text: 'The raise statement: with argc 0 it re-raises the exception being handled, with 1 it raises the top item, with 2 it raises the item below the top with the top item as its cause (raise X from Y).',
  },
  {
    match: ['WITH_EXCEPT_START'],
    since: [3, 9],
    text: "When a with body raises: calls the context manager's __exit__, found further down the stack, with the exception's type, value and traceback, and pushes the result, which decides whether the exception is suppressed.",
    notes: [
      { until: [3, 10], text: '__exit__ is the seventh item; the exception takes the three items on top.' },
      { since: [3, 11], until: [3, 13], text: '__exit__ is the fourth item; the exception is the single item on top.' },
      {
        since: [3, 14],
        text: '__exit__ is the fifth item and its self (or NULL), as LOAD_SPECIAL pushed them, the fourth; the exception is the single item on top.',
      },
    ],
  },
  {
    match: ['WITH_CLEANUP_START'],
    until: [3, 8],
    text: "Leaving a with block: calls the context manager's __exit__ (below the top) as __exit__(None, None, None) if the block ended normally, or with the exception if it raised, and pushes the result.",
  },
  {
    match: ['WITH_CLEANUP_FINISH'],
    until: [3, 8],
    text: 'Finishes leaving a with block: pops the __exit__ result and the marker below it; if an exception was being handled and __exit__ returned true, the exception is suppressed.',
  },
  {
    match: ['BEGIN_FINALLY'],
    until: [3, 8],
    text: 'Pushes a NULL marker meaning "no exception, just continue" before falling into a finally block (or a with cleanup).',
  },
  {
    match: ['END_FINALLY'],
    until: [3, 8],
    text: 'Ends a finally block by looking at what is on top: a NULL marker means continue with the next instruction, a return address pushed by CALL_FINALLY means jump back there, and an exception means re-raise it.',
  },
  {
    match: ['CALL_FINALLY'],
    until: [3, 8],
    text: 'Pushes the offset of the next instruction and jumps delta ahead to a finally block, running it like a subroutine (for return, break or continue inside try).',
  },
  {
    match: ['POP_FINALLY'],
    until: [3, 8],
    text: 'Leaves a finally block early (return, break or continue inside it): removes its marker or saved exception from the stack and pops the handler block. A nonzero argument keeps the top item (a return value) in place.',
  },

  // ---------------------------------------------------------------- jumps and loops
  { match: ['JUMP_FORWARD'], text: 'Jumps forward by delta.', notes: JUMP_UNITS },
  {
    match: ['JUMP_ABSOLUTE'],
    until: [3, 10],
    text: 'Jumps to target; the compiler uses it mainly for the back edge of loops.',
    notes: ABSOLUTE_TARGET,
  },
  {
    match: ['JUMP_BACKWARD'],
    since: [3, 11],
    text: 'Jumps back by delta code units, the back edge of a loop; on the way it checks for interrupts such as signals and thread switches.',
  },
  {
    match: ['JUMP_BACKWARD_NO_INTERRUPT'],
    since: [3, 11],
    text: 'Jumps back by delta code units without checking for interrupts; used in the send loops of yield from and await.',
  },
  {
    name: 'JUMP pseudo-instructions',
    match: ['JUMP', 'JUMP_NO_INTERRUPT'],
    since: [3, 12],
    text: 'Pseudo-instruction: an unconditional jump that the assembler turns into JUMP_FORWARD or JUMP_BACKWARD (JUMP_BACKWARD_NO_INTERRUPT for the NO_INTERRUPT form), depending on where the target is.',
  },
  {
    name: 'JUMP_IF pseudo-instructions',
    match: ['JUMP_IF_TRUE', 'JUMP_IF_FALSE'],
    since: [3, 14],
    text: 'Pseudo-instruction: a conditional jump that leaves the stack alone; the assembler turns it into COPY 1, TO_BOOL and a POP_JUMP_IF_TRUE or POP_JUMP_IF_FALSE.',
  },
  { match: ['POP_JUMP_IF_TRUE'], until: [3, 10], text: 'Pops the top item and jumps to target if it is true.', notes: ABSOLUTE_TARGET },
  { match: ['POP_JUMP_IF_FALSE'], until: [3, 10], text: 'Pops the top item and jumps to target if it is false.', notes: ABSOLUTE_TARGET },
  {
    match: ['POP_JUMP_IF_TRUE'],
    since: [3, 12],
    text: 'Pops the top item and jumps forward by delta code units if it is true.',
    notes: [{ since: [3, 13], text: 'The item must be an exact bool (a TO_BOOL or a bool-producing COMPARE_OP comes first).' }],
  },
  {
    match: ['POP_JUMP_IF_FALSE'],
    since: [3, 12],
    text: 'Pops the top item and jumps forward by delta code units if it is false.',
    notes: [{ since: [3, 13], text: 'The item must be an exact bool (a TO_BOOL or a bool-producing COMPARE_OP comes first).' }],
  },
  { match: ['POP_JUMP_IF_NONE'], since: [3, 12], text: 'Pops the top item and jumps forward by delta code units if it is None.' },
  { match: ['POP_JUMP_IF_NOT_NONE'], since: [3, 12], text: 'Pops the top item and jumps forward by delta code units if it is not None.' },
  {
    name: 'POP_JUMP_*_IF_TRUE',
    match: ['POP_JUMP_FORWARD_IF_TRUE', 'POP_JUMP_BACKWARD_IF_TRUE'],
    since: [3, 11],
    until: [3, 11],
    text: 'Pops the top item and, if it is true, jumps by delta code units in the direction in the name (forward or backward).',
  },
  {
    name: 'POP_JUMP_*_IF_FALSE',
    match: ['POP_JUMP_FORWARD_IF_FALSE', 'POP_JUMP_BACKWARD_IF_FALSE'],
    since: [3, 11],
    until: [3, 11],
    text: 'Pops the top item and, if it is false, jumps by delta code units in the direction in the name (forward or backward).',
  },
  {
    name: 'POP_JUMP_*_IF_NONE',
    match: ['POP_JUMP_FORWARD_IF_NONE', 'POP_JUMP_BACKWARD_IF_NONE'],
    since: [3, 11],
    until: [3, 11],
    text: 'Pops the top item and, if it is None, jumps by delta code units in the direction in the name (forward or backward).',
  },
  {
    name: 'POP_JUMP_*_IF_NOT_NONE',
    match: ['POP_JUMP_FORWARD_IF_NOT_NONE', 'POP_JUMP_BACKWARD_IF_NOT_NONE'],
    since: [3, 11],
    until: [3, 11],
    text: 'Pops the top item and, if it is not None, jumps by delta code units in the direction in the name (forward or backward).',
  },
  {
    match: ['JUMP_IF_TRUE_OR_POP'],
    until: [3, 11],
    text: 'If the top item is true, jumps and leaves it on the stack (the value of an `or`); otherwise pops it and carries on.',
    notes: ABSOLUTE_THEN_RELATIVE,
  },
  {
    match: ['JUMP_IF_FALSE_OR_POP'],
    until: [3, 11],
    text: 'If the top item is false, jumps and leaves it on the stack (the value of an `and`); otherwise pops it and carries on.',
    notes: ABSOLUTE_THEN_RELATIVE,
  },
  {
    match: ['FOR_ITER'],
    until: [3, 11],
    text: "Calls next() on the iterator on top: pushes the value it produces, keeping the iterator below, or, once it is exhausted, pops the iterator and jumps forward by delta to the loop's exit.",
    notes: JUMP_UNITS,
  },
  {
    match: ['FOR_ITER'],
    since: [3, 12],
    until: [3, 13],
    text: "Calls next() on the iterator on top: pushes the value it produces, keeping the iterator below, or, once it is exhausted, jumps forward by delta code units to the loop's exit, where END_FOR and what follows discard the iterator.",
  },
  {
    match: ['FOR_ITER'],
    since: [3, 14],
    text: "Calls next() on the iterator on top: pushes the value it produces, keeping the iterator below, or, once it is exhausted, jumps forward by delta code units to the loop's exit, an END_FOR and a POP_ITER; the interpreter steps over the END_FOR and lands on the POP_ITER, which discards the iterator.",
    notes: [
      {
        since: [3, 15],
        text: 'The iterator is the pair GET_ITER pushed: an iterator and NULL, or a list or tuple and the index of the next item.',
      },
    ],
  },
  {
    match: ['END_FOR'],
    since: [3, 12],
    until: [3, 12],
    text: "At a for loop's exit: pops two items, the value slot FOR_ITER left and the exhausted iterator below it (like two POP_TOPs).",
  },
  {
    match: ['END_FOR'],
    since: [3, 13],
    text: "At a for loop's exit: pops one item, like POP_TOP; the exhausted iterator below it is removed by the next instruction.",
  },
  { match: ['POP_ITER'], since: [3, 14], until: [3, 14], text: 'Pops the exhausted iterator at the end of a for loop.' },
  {
    match: ['POP_ITER'],
    since: [3, 15],
    text: 'Pops the two items of an exhausted iterator at the end of a for loop: the iterator (or list or tuple) and the NULL or index above it.',
  },
  {
    match: ['NOT_TAKEN'],
    since: [3, 14],
    text: 'A no-op on the path a conditional jump falls through to; it lets sys.monitoring report which way the branch went (BRANCH_LEFT / BRANCH_RIGHT).',
  },

  // ---------------------------------------------------------------- pattern matching
  {
    match: ['GET_LEN'],
    since: [3, 10],
    text: 'Pushes len() of the top item, which stays; used by match statements for sequence patterns.',
  },
  {
    match: ['MATCH_MAPPING'],
    since: [3, 10],
    text: 'Pushes True if the match subject on top (which stays) is a mapping for pattern matching (its type carries the mapping flag, as dict and collections.abc.Mapping subclasses do), else False.',
  },
  {
    match: ['MATCH_SEQUENCE'],
    since: [3, 10],
    text: 'Pushes True if the match subject on top (which stays) is a sequence for pattern matching (its type carries the sequence flag; str, bytes and bytearray do not count), else False.',
  },
  {
    match: ['MATCH_KEYS'],
    since: [3, 10],
    until: [3, 10],
    text: "Mapping pattern: with a tuple of keys on top and the subject below (both stay), pushes a tuple of the subject's values for those keys and True, or None and False if a key is missing.",
  },
  {
    match: ['MATCH_KEYS'],
    since: [3, 11],
    text: "Mapping pattern: with a tuple of keys on top and the subject below (both stay), pushes a tuple of the subject's values for those keys, or None if a key is missing.",
  },
  {
    match: ['MATCH_CLASS'],
    since: [3, 10],
    until: [3, 10],
    text: 'Class pattern: pops the tuple of keyword attribute names, the class and the subject. If the subject is an instance with the count positional and the named attributes, pushes a tuple of them and True, else None and False.',
  },
  {
    match: ['MATCH_CLASS'],
    since: [3, 11],
    text: 'Class pattern: pops the tuple of keyword attribute names, the class and the subject. If the subject is an instance with the count positional and the named attributes, pushes a tuple of them, else None.',
  },
  {
    match: ['COPY_DICT_WITHOUT_KEYS'],
    since: [3, 10],
    until: [3, 10],
    text: "Mapping pattern with **rest: with a tuple of keys on top and the subject below, replaces the tuple with a new dict of the subject's items minus those keys.",
  },

  // ---------------------------------------------------------------- f-strings and t-strings
  {
    match: ['FORMAT_VALUE'],
    until: [3, 12],
    text: 'An f-string field: pops the value (and the format spec above it, if flag 0x04 is set), applies the conversion in flags & 3 (0 none, 1 str, 2 repr, 3 ascii), formats it, and pushes the string.',
  },
  {
    match: ['CONVERT_VALUE'],
    since: [3, 13],
    text: 'An f-string conversion: replaces the top item with str() (argument 1), repr() (2) or ascii() (3) of it.',
  },
  {
    match: ['FORMAT_SIMPLE'],
    since: [3, 13],
    text: 'An f-string field without a format spec: replaces the top item with the result of formatting it with an empty spec.',
  },
  {
    match: ['FORMAT_WITH_SPEC'],
    since: [3, 13],
    text: 'An f-string field with a format spec: pops the spec and the value below it, and pushes format(value, spec).',
  },
  {
    match: ['BUILD_TEMPLATE'],
    since: [3, 14],
    text: 'A t-string: pops a tuple of interpolations and the tuple of strings below it, and pushes a string.templatelib.Template made from them.',
  },
  {
    match: ['BUILD_INTERPOLATION'],
    since: [3, 14],
    text: "A t-string field: pops the format spec (if the argument's low bit is set), the source text of the expression and its value, and pushes a string.templatelib.Interpolation; arg >> 2 is the conversion (0 none, 1 !s, 2 !r, 3 !a).",
  },

  // ---------------------------------------------------------------- interpreter internals
  {
    match: ['INTERPRETER_EXIT'],
    since: [3, 12],
    text: 'Internal: leaves the interpreter loop for a frame that was entered from C. The compiler never emits it.',
  },
  { match: ['RESERVED'], since: [3, 12], text: 'An opcode number kept in reserve; it never appears in real bytecode.' },
  {
    match: ['ENTER_EXECUTOR'],
    since: [3, 13],
    text: 'Internal: written over a hot JUMP_BACKWARD by the experimental tier-2 optimizer, it hands control to the optimized trace (executor) that its argument picks from the code object.',
  },
  {
    match: ['TRACE_RECORD'],
    since: [3, 15],
    text: "Internal: used by the experimental JIT while it records a trace of the instructions being executed, to build an optimized executor from them. The compiler never emits it; it never appears in a code object's bytecode.",
  },
  {
    match: ['EXIT_INIT_CHECK'],
    since: [3, 13],
    text: 'Pops the value an __init__ method returned and raises TypeError unless it is None; used by the CALL_ALLOC_AND_ENTER_INIT specialization.',
  },
  {
    match: ['INSTRUMENTED_*'],
    since: [3, 12],
    text: 'The instrumented form of {*}, swapped in while sys.monitoring (PEP 669) watches this code: it reports the monitoring event, then does what {*} does.',
  },
  {
    match: ['INSTRUMENTED_LINE'],
    since: [3, 12],
    text: 'Put over the first instruction of a line while sys.monitoring (PEP 669) watches for LINE events: it reports the event, then runs the original instruction, which is kept aside.',
  },
  {
    match: ['INSTRUMENTED_INSTRUCTION'],
    since: [3, 12],
    text: 'Put over an instruction while sys.monitoring (PEP 669) watches for INSTRUCTION events: it reports the event, then runs the original instruction, which is kept aside.',
  },

  // ---------------------------------------------------------------- adaptive interpreter (PEP 659), 3.11+
  {
    name: 'adaptive instructions (*_ADAPTIVE)',
    match: [
      'BINARY_OP_ADAPTIVE',
      'BINARY_SUBSCR_ADAPTIVE',
      'CALL_ADAPTIVE',
      'COMPARE_OP_ADAPTIVE',
      'LOAD_ATTR_ADAPTIVE',
      'LOAD_GLOBAL_ADAPTIVE',
      'LOAD_METHOD_ADAPTIVE',
      'PRECALL_ADAPTIVE',
      'STORE_ATTR_ADAPTIVE',
      'STORE_SUBSCR_ADAPTIVE',
      'UNPACK_SEQUENCE_ADAPTIVE',
    ],
    since: [3, 11],
    until: [3, 11],
    text: 'The adaptive form of the instruction named before _ADAPTIVE (3.11): it does the generic work while counting executions, and once warm tries to rewrite itself into a specialized form for the operands it has seen.',
  },
  {
    name: 'quickened instructions (*_QUICK)',
    match: ['RESUME_QUICK', 'JUMP_BACKWARD_QUICK'],
    since: [3, 11],
    until: [3, 11],
    text: 'The form of the instruction named before _QUICK that the interpreter writes when it quickens the code (3.11); it does the same job without the warm-up counting that triggers quickening.',
  },
  {
    match: ['EXTENDED_ARG_QUICK'],
    since: [3, 11],
    until: [3, 11],
    text: 'The form of EXTENDED_ARG used in quickened code (3.11): the same argument prefix for the instruction that follows.',
  },
  {
    name: 'superinstructions (A__B)',
    match: ['LOAD_FAST__LOAD_FAST', 'LOAD_FAST__LOAD_CONST', 'LOAD_CONST__LOAD_FAST', 'STORE_FAST__LOAD_FAST', 'STORE_FAST__STORE_FAST'],
    since: [3, 11],
    until: [3, 12],
    text: "A superinstruction written when the code is quickened: it does the work of the two instructions joined by the double underscore in its name, one after the other, in a single dispatch (the second one's argument comes from the next code unit).",
  },
  {
    name: 'COMPARE_OP_*_JUMP',
    match: ['COMPARE_OP_FLOAT_JUMP', 'COMPARE_OP_INT_JUMP', 'COMPARE_OP_STR_JUMP'],
    since: [3, 11],
    until: [3, 11],
    text: 'A specialization of COMPARE_OP written by the adaptive interpreter (3.11) when both operands keep having the type in the name: it compares them and also performs the conditional jump that follows, in one step.',
  },
  {
    name: 'JUMP_BACKWARD_*JIT',
    match: ['JUMP_BACKWARD_JIT', 'JUMP_BACKWARD_NO_JIT'],
    since: [3, 14],
    text: 'The form of JUMP_BACKWARD the adaptive interpreter writes in its place, by whether the experimental JIT is enabled: _NO_JIT checks for interrupts and jumps back, as JUMP_BACKWARD does; _JIT also counts how often the loop runs and, once it is hot, hands it to the JIT to be compiled into an executor.',
  },
  {
    name: 'LOAD_CONST_*MORTAL',
    match: ['LOAD_CONST_IMMORTAL', 'LOAD_CONST_MORTAL'],
    since: [3, 14],
    until: [3, 14],
    text: 'The form of LOAD_CONST the adaptive interpreter writes in its place (3.14): _IMMORTAL for a constant that is immortal, pushed without touching its reference count, _MORTAL for any other, pushed as a new reference.',
  },
  specialized('BINARY_OP', [3, 11]),
  specialized('BINARY_SUBSCR', [3, 11], [3, 13]),
  specialized('CALL', [3, 11]),
  specialized('CALL_KW', [3, 14]),
  specialized('CALL_FUNCTION_EX', [3, 15], undefined, 'CALL_EX'),
  specialized('COMPARE_OP', [3, 11]),
  specialized('CONTAINS_OP', [3, 13]),
  specialized('FOR_ITER', [3, 12]),
  specialized('GET_ITER', [3, 15]),
  specialized('LOAD_ATTR', [3, 11]),
  specialized('LOAD_GLOBAL', [3, 11]),
  specialized('LOAD_METHOD', [3, 11], [3, 11]),
  specialized('LOAD_SUPER_ATTR', [3, 12]),
  specialized('PRECALL', [3, 11], [3, 11]),
  specialized('RESUME', [3, 13]),
  specialized('SEND', [3, 12]),
  specialized('STORE_ATTR', [3, 11]),
  specialized('STORE_SUBSCR', [3, 11]),
  specialized('TO_BOOL', [3, 13]),
  specialized('UNPACK_SEQUENCE', [3, 11]),
];
