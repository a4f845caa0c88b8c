/**
 * Read-only virtual documents holding a file's full bytecode listing, in the
 * `python-bytecode` language (syntaxes/python-bytecode.tmLanguage.json).
 * URI: python-bytecode:/<source path>.bytecode?<source uri>
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BYTECODE_LANGUAGE_ID, BYTECODE_SCHEME, BytecodeListing, BytecodeListingRequest } from '../protocol';

export class BytecodeDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly lines = new Map<string, number | undefined>();
  private readonly listings = new Map<string, BytecodeListing>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly client: () => Promise<LanguageClient>) {
    // Keep open listings in step with their source, a little after typing stops.
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const listing = listingUri(e.document.uri);
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === listing.toString())) return;
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => this.changed.fire(listing), 500);
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const source = uri.query;
    const line = this.lines.get(uri.toString());
    try {
      const listing = await (
        await this.client()
      ).sendRequest(BytecodeListingRequest.type, { textDocument: { uri: source }, ...(line !== undefined ? { line } : {}) }, token);
      this.listings.set(uri.toString(), listing);
      return listing.text;
    } catch (err) {
      return `# Python Internals could not list the bytecode of ${source}\n# ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  /** Open (or refresh) the listing for `source`, revealing the code object at `line` (0-based). */
  async show(source: vscode.Uri, line: number | undefined): Promise<vscode.TextEditor> {
    const uri = listingUri(source);
    this.lines.set(uri.toString(), line);
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== BYTECODE_LANGUAGE_ID) doc = await vscode.languages.setTextDocumentLanguage(doc, BYTECODE_LANGUAGE_ID);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    const reveal = this.listings.get(uri.toString())?.revealLine;
    if (reveal !== undefined) {
      const position = new vscode.Position(reveal, 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
    }
    return editor;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export function listingUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: BYTECODE_SCHEME, path: `${source.path}.bytecode`, query: source.toString() });
}
