/**
 * How the static MRO reads in the editor: the code lens's title above each
 * class and the class-name hover's Markdown. Shared wording, so the two say
 * the same thing.
 */
import { type ClassSummary, classLabel, OPEN_MRO_PANEL_COMMAND, type StaticMro } from '../../protocol';
import { escapeMarkdown } from '../common/markdown';

/** Lenses longer than this many classes end in "…" (the panel shows them all). */
const LENS_CLASSES = 8;

export function lensTitle(summary: ClassSummary): string {
  if (summary.error) return `MRO: TypeError: ${summary.error}`;
  const names = summary.stopsAt === undefined ? summary.mro : summary.mro.slice(0, summary.stopsAt + 1);
  const shown = names.length > LENS_CLASSES ? [...names.slice(0, LENS_CLASSES - 1), '…', names[names.length - 1]!] : names;
  const tail = summary.stopsAt === undefined ? '' : ` → … (${names[names.length - 1]} is known at run time)`;
  return `MRO: ${shown.join(' → ')}${tail}`;
}

/** The hover's link to the panel, on the class's name (a nested class's column tells it from the outer one). */
export function mroPanelUri(uri: string, line: number, character: number): string {
  return `command:${OPEN_MRO_PANEL_COMMAND}?${encodeURIComponent(JSON.stringify([{ uri, line, character }]))}`;
}

export function mroHoverMarkdown(mro: StaticMro, link: string): string {
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const title = `**MRO of ${code(mro.cls.qualname)}**`;
  if (mro.error) return `${title}: TypeError: ${escapeMarkdown(mro.error)} · [MRO panel](${link})`;
  const stop = mro.mro.findIndex((c) => c.unresolved);
  const names = mro.mro.map((c, i) =>
    i === stop
      ? `${code(c.qualname)} *(known at run time: ${escapeMarkdown(c.unresolved ?? '', true)})*`
      : code(classLabel(c, mro.cls.module)),
  );
  const shown = stop >= 0 ? [...names.slice(0, stop + 1), '…'] : names;
  return `${title}: ${shown.join(' → ')} · [MRO panel](${link})`;
}
