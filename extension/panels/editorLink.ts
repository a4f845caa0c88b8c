/**
 * The editor side of a panel's two-way link: selecting and outlining source
 * ranges the panel names. Spans arrive in LSP units (UTF-16 columns), already
 * converted from CPython's by the server, so they map onto `vscode.Range` as is.
 */
import * as vscode from 'vscode';
import type { Span } from '../../protocol';

export function spanToRange(span: Span): vscode.Range {
  return new vscode.Range(span[0], span[1], span[2], span[3]);
}

export function rangeToSpan(range: vscode.Range): Span {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

export class EditorLink implements vscode.Disposable {
  /** The node under the mouse or keyboard focus in a panel: an outline, like a bracket match. */
  private readonly nodeDecoration = vscode.window.createTextEditorDecorationType({
    borderWidth: '1px',
    borderStyle: 'solid',
    borderColor: new vscode.ThemeColor('editorBracketMatch.border'),
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  /** A symbol's occurrences in its scope: the editor's own "highlight occurrences" colours. */
  private readonly occurrenceDecoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.wordHighlightStrongBackground'),
    borderColor: new vscode.ThemeColor('editor.wordHighlightStrongBorder'),
    borderWidth: '1px',
    borderStyle: 'solid',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.wordHighlightStrongForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });

  /** The visible editor showing `uri`, the active one first. */
  editorFor(uri: string): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active?.document.uri.toString() === uri) return active;
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  }

  /** Select exactly `span` and reveal it; open the document beside the panel if no editor shows it. */
  async select(uri: string, span: Span, focusEditor: boolean): Promise<vscode.TextEditor> {
    const range = spanToRange(span);
    let editor = this.editorFor(uri);
    if (!editor || focusEditor) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      editor = await vscode.window.showTextDocument(document, {
        viewColumn: editor?.viewColumn ?? vscode.ViewColumn.One,
        preserveFocus: !focusEditor,
      });
    }
    // Anchor at the start, cursor at the end: like a selection made by dragging over the node.
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }

  highlight(uri: string, spans: Span[], kind: 'node' | 'occurrences'): void {
    const decoration = kind === 'node' ? this.nodeDecoration : this.occurrenceDecoration;
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(decoration, editor.document.uri.toString() === uri ? spans.map(spanToRange) : []);
    }
    const editor = this.editorFor(uri);
    const first = spans[0];
    // Show where the hovered node is, without moving the cursor.
    if (editor && first && kind === 'node') editor.revealRange(spanToRange(first), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  clear(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.nodeDecoration, []);
      editor.setDecorations(this.occurrenceDecoration, []);
    }
  }

  dispose(): void {
    this.nodeDecoration.dispose();
    this.occurrenceDecoration.dispose();
  }
}
