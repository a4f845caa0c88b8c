/**
 * What the bytecode page shows, as plain data: its tabs and the settings it
 * keeps across reloads, the view of the file's code objects and of the one
 * selected (each built from the extension's answer, keeping the last good
 * model when the text stops compiling), and what the cursor marks in it.
 */
import type { CodeObjectResult, CodeObjectsResult, OptimizeLevel } from '../../protocol/bytecode';
import type { Span, StageError } from '../../protocol/pipeline';
import type { Answer, CursorParams } from '../../protocol/webview';
import { spanEquals } from '../shared/spans';
import { persisted } from '../shared/vscodeApi';
import { CodeTreeModel, type InstructionModel } from './models';
import type { Detail } from './tables';

export const BYTECODE_TABS = ['instructions', 'cfg', 'exceptions', 'fields', 'compare'] as const;
export type BytecodeTab = (typeof BYTECODE_TABS)[number];

export const TAB_LABELS: Record<BytecodeTab, string> = {
  instructions: 'Instructions',
  cfg: 'Control flow',
  exceptions: 'Exception table',
  fields: 'Code object',
  compare: 'Compare',
};

export const OPTIMIZE_LABELS: Record<OptimizeLevel, string> = {
  0: 'No optimization',
  1: '-O: asserts dropped',
  2: '-OO: docstrings too',
};

/** The page's choices, kept with its state (`persist`) so a reloaded panel comes back as it was. */
export interface Settings {
  tab: BytecodeTab;
  optimize: OptimizeLevel;
  showCaches: boolean;
  bands: boolean;
}

export function savedSettings(): Settings {
  const saved = persisted();
  return {
    tab: saved.tab && (BYTECODE_TABS as readonly string[]).includes(saved.tab) ? (saved.tab as BytecodeTab) : 'instructions',
    optimize: saved.optimize === 1 || saved.optimize === 2 ? saved.optimize : 0,
    showCaches: !!saved.showCaches,
    bands: saved.bands !== false,
  };
}

/** The file's code objects at a version. */
export interface TreeView {
  version: number;
  model?: CodeTreeModel;
  /** The model is from an older version: the current text does not compile. */
  stale: boolean;
  error?: StageError;
  failure?: string;
  answer?: CodeObjectsResult;
}

/** One code object in full at a version. */
export interface CodeView {
  version: number;
  path: number[];
  detail?: Detail;
  model?: InstructionModel;
  stale: boolean;
  error?: StageError;
  failure?: string;
  answer?: CodeObjectResult;
}

/**
 * The tree an answer gives (`asked`: the version the page asked for), or
 * undefined when it is for another document or older than `previous`
 * (answers can overtake each other: never go back in time).
 */
export function treeViewOf(
  answer: Answer<CodeObjectsResult>,
  asked: number,
  uri: string | undefined,
  previous?: TreeView,
): TreeView | undefined {
  if (answer.ok && answer.value.uri !== uri) return undefined;
  const version = answer.ok ? answer.value.version : asked;
  if (previous && previous.version > version) return undefined;
  const view: TreeView = { version, stale: false };
  if (!answer.ok) view.failure = answer.error.message;
  else {
    view.answer = answer.value;
    const result = answer.value.result;
    if ('module' in result) view.model = new CodeTreeModel(result.module);
    else view.error = result.error;
  }
  if (!view.model && previous?.model) {
    view.model = previous.model;
    view.stale = true;
  }
  return view;
}

/**
 * The code object an answer gives, or undefined when it is for another
 * document, another version (the server answers for the current text: a path
 * from an older tree may name another code object there; the tree of that
 * version is on its way), or older than `previous`. `model` builds the
 * instruction table with the page's toggles.
 */
export function codeViewOf(
  answer: Answer<CodeObjectResult>,
  asked: { version: number; path: number[] },
  uri: string | undefined,
  previous: CodeView | undefined,
  model: (detail: Detail) => InstructionModel,
): CodeView | undefined {
  const { version, path } = asked;
  if (answer.ok) {
    const { uri: answeredUri, version: answered } = answer.value;
    if (answeredUri !== uri || answered !== version) return undefined;
    if (previous && previous.path.join('.') === path.join('.') && previous.version > answered) return undefined;
  }
  const view: CodeView = { version, path, stale: false };
  if (!answer.ok) view.failure = answer.error.message;
  else {
    view.answer = answer.value;
    const result = answer.value.result;
    if ('instructions' in result) {
      view.detail = result;
      view.model = model(result);
    } else view.error = result.error;
  }
  if (!view.model && previous?.model) {
    view.model = previous.model;
    view.detail = previous.detail;
    view.stale = true;
  }
  return view;
}

/** The rows and CFG blocks that follow the cursor. */
export interface CursorMarks {
  /** Rows of the instructions at the cursor. */
  marked: ReadonlySet<number>;
  /** The first of them (-1: none), scrolled into view. */
  currentRow: number;
  blocks: ReadonlySet<number>;
}

export const NO_MARKS: CursorMarks = { marked: new Set(), currentRow: -1, blocks: new Set() };

/** The instruction last clicked (`chosen`), whose span the editor's selection still is, else the instructions at the cursor. */
export function cursorMarks(code: CodeView | undefined, cursor: CursorParams | undefined, chosen: number): CursorMarks {
  const model = code?.model;
  const detail = code?.detail;
  if (!model || !detail || !cursor || code.stale) return NO_MARKS;
  const chosenSpan = chosenSpanOf(code, chosen);
  const instructions =
    chosenSpan && spanEquals(chosenSpan, cursor.selection) ? [chosen] : model.instructionsAt(cursor.selection, cursor.active);
  const blocks = new Set<number>();
  detail.blocks.forEach((block, b) => {
    if (instructions.some((i) => i >= block.start && i < block.end)) blocks.add(b);
  });
  return {
    marked: new Set(instructions.map((i) => model.rowOf(i))),
    currentRow: instructions.length ? model.rowOf(instructions[0]!) : -1,
    blocks,
  };
}

/** The source span of instruction `chosen` (-1: none). */
export function chosenSpanOf(code: CodeView | undefined, chosen: number): Span | null {
  const model = code?.model;
  return model && chosen >= 0 ? model.span(model.rowOf(chosen)) : null;
}

/** The span from the first to the last of some instructions' spans (a CFG block, an exception-table entry). */
export function spanOfAll(spans: Span[]): Span | null {
  const first = spans.reduce<Span | null>((a, s) => (!a || s[0] < a[0] || (s[0] === a[0] && s[1] < a[1]) ? s : a), null);
  const last = spans.reduce<Span | null>((a, s) => (!a || s[2] > a[2] || (s[2] === a[2] && s[3] > a[3]) ? s : a), null);
  return first && last ? [first[0], first[1], last[2], last[3]] : null;
}
