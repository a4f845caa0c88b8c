/**
 * Godbolt-style colour bands in the editor: each source line that has
 * instructions in the bytecode panel's code object gets the background of its
 * band, the same colour its instructions have in the panel. The colours are
 * the extension's contributed theme colours (package.json
 * `contributes.colors`: pythonInternals.band0Background ...), which the page
 * reads as `--vscode-pythonInternals-band0Background`, so themes can change them.
 */
import * as vscode from 'vscode';
import { BAND_COUNT, type LineBand } from '../../protocol';

export class LineBands implements vscode.Disposable {
  private readonly types = Array.from({ length: BAND_COUNT }, (_, i) =>
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(`pythonInternals.band${i}Background`),
    }),
  );

  private last: { uri: string; bands: LineBand[] } | undefined;
  /** An editor shown again (another tab, a split) has no decorations: draw them again. */
  private readonly visible = vscode.window.onDidChangeVisibleTextEditors(() => {
    if (this.last) this.show(this.last.uri, this.last.bands);
  });

  show(uri: string, bands: LineBand[]): void {
    this.last = bands.length ? { uri, bands } : undefined;
    const byBand = this.types.map((): vscode.Range[] => []);
    for (const [line, band] of bands) byBand[band % BAND_COUNT]?.push(new vscode.Range(line, 0, line, 0));
    for (const editor of vscode.window.visibleTextEditors) {
      const mine = editor.document.uri.toString() === uri;
      this.types.forEach((type, i) => editor.setDecorations(type, mine ? byBand[i]! : []));
    }
  }

  clear(): void {
    this.last = undefined;
    for (const editor of vscode.window.visibleTextEditors) for (const type of this.types) editor.setDecorations(type, []);
  }

  dispose(): void {
    this.visible.dispose();
    for (const type of this.types) type.dispose();
  }
}
