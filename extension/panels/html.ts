/**
 * The one HTML page every panel uses: its descriptor's script and
 * stylesheets from the bundle folder, under a CSP that allows nothing else.
 * Data never goes into this HTML; it arrives by message once the page says
 * it is ready.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelDescriptor } from './descriptors';

/** Panels may load files from here only (`localResourceRoots`). */
export function bundleRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [bundleRoot(extensionUri)],
    // The page keeps its trees and scroll position when its tab is hidden; the bundles are small.
    retainContextWhenHidden: true,
    enableFindWidget: true,
  };
}

/** A new panel beside the editor, the focus left where it is. */
export function createBeside(page: PanelDescriptor, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    page.viewType,
    page.title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    webviewOptions(extensionUri),
  );
}

/** The page of `page` (descriptors.ts): its bundle, its stylesheets in order; WebAssembly only if it compiles some. */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: PanelDescriptor): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(bundleRoot(extensionUri), name)).toString();
  // lit's components style themselves through constructable stylesheets, which CSP does not govern;
  // our own stylesheets and the codicon font come from the bundle folder only.
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'${page.wasm ? " 'wasm-unsafe-eval'" : ''}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
${page.styles.map((s) => `<link rel="stylesheet" href="${asset(s)}">`).join('\n')}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<script type="module" nonce="${nonce}" src="${asset(page.bundle)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
