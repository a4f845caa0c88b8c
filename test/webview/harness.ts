/**
 * A panel's page in real headless Chromium, outside VS Code: the bundle from
 * dist/webview served over loopback, with a stub `acquireVsCodeApi` whose
 * `postMessage` reaches this process. The harness plays the extension's part
 * of the JSON-RPC protocol (protocol/webview.ts): it answers the page's
 * requests with a handler (tests forward them to the real language server;
 * the harness wraps its value or error in the answer shape pages read),
 * records its notifications and sends it notifications of its own.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PANELS } from '../../extension/panels/descriptors';
import { answerOf } from '../../extension/panels/forward';
import { waitFor } from '../helpers/deadline';
import { repoRoot } from '../helpers/pythons';

interface RpcMessage {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
}

/** Answers a request with a value, or a promise of one. */
export type RequestHandler = (method: string, params: unknown) => unknown;

/** A few of the variables VS Code sets in a webview, from its Dark Modern theme, so the page is legible in screenshots. */
const THEME = `
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: monospace; --vscode-editor-font-size: 13px;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-list-activeSelectionBackground: #04395e; --vscode-list-inactiveSelectionBackground: #37373d;
  --vscode-focusBorder: #0078d4; --vscode-errorForeground: #f85149; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;`;

/** The page of `bundle`, as extension/panels/html.ts builds it from the same descriptor (with the stub's inline script allowed by its nonce). */
function pageHtml(bundle: string): string {
  const page = Object.values(PANELS).find((p) => p.bundle === bundle);
  if (!page) throw new Error(`No panel's page is ${bundle} (extension/panels/descriptors.ts)`);
  const wasm = page.wasm ? " 'wasm-unsafe-eval'" : '';
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-test' http://127.0.0.1:*${wasm}; style-src http://127.0.0.1:* 'nonce-test'; font-src http://127.0.0.1:*; img-src http://127.0.0.1:* data:">
<link rel="stylesheet" href="/codicon.css" id="vscode-codicon-stylesheet">${page.styles.map((s) => `<link rel="stylesheet" href="/${s}">`).join('')}
<style nonce="test">html { ${THEME} }</style>
<script nonce="test">
  let state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__toExtension(JSON.stringify(m)),
    getState: () => state,
    setState: (s) => { state = s; },
  });
</script></head><body><script type="module" nonce="test" src="/${bundle}"></script></body></html>`;
}

/** Serves dist/webview and the test page over loopback (module scripts do not load from file://). */
async function serve(bundle: string): Promise<http.Server> {
  const root = path.join(repoRoot, 'dist', 'webview');
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    if (url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url === '/' || url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(bundle));
      return;
    }
    const file = path.join(root, path.normalize(url).replace(/^([/\\])+/, ''));
    if (!file.startsWith(root) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export class PanelPage {
  /** Notifications the page sent, in order. */
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  /** Requests the page sent, in order (`id`: what a `$/cancelRequest` for it names). */
  readonly requests: Array<{ id: number | string; method: string; params: unknown }> = [];
  readonly errors: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly server: http.Server,
    private handler: RequestHandler,
  ) {}

  static async open(browser: Browser, bundle: string, handler: RequestHandler, viewport = { width: 900, height: 700 }): Promise<PanelPage> {
    const server = await serve(bundle);
    const page = await browser.newPage({ viewport });
    const panel = new PanelPage(page, server, handler);
    page.on('pageerror', (err) => panel.errors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') panel.errors.push(msg.text());
    });
    await page.exposeFunction('__toExtension', (json: string) => panel.receive(JSON.parse(json) as RpcMessage));
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/`);
    return panel;
  }

  setHandler(handler: RequestHandler): void {
    this.handler = handler;
  }

  private receive(message: RpcMessage): void {
    if (message.method && message.id !== undefined) {
      this.requests.push({ id: message.id, method: message.method, params: message.params });
      // Answered as the extension answers a page (forward.ts): the handler's value, or its error as a failure.
      void answerOf(async () => this.handler(message.method!, message.params)).then((answer) =>
        this.post({ jsonrpc: '2.0', id: message.id, result: answer }),
      );
    } else if (message.method) {
      this.notifications.push({ method: message.method, params: message.params });
    }
  }

  private async post(message: RpcMessage): Promise<void> {
    // As a string: Playwright passes objects to the page by walking them, far slower than VS Code's postMessage;
    // JSON text costs about what the workbench's own serialization does. Runs in the page (globalThis: the window).
    await this.page
      .evaluate(
        (json) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(JSON.parse(json), '*'),
        JSON.stringify(message),
      )
      .catch(() => {});
  }

  /** Send the page a notification, as the extension would. */
  notify(method: string, params: unknown): Promise<void> {
    return this.post({ jsonrpc: '2.0', method, params });
  }

  /** The next notification named `method` after `from` (an index into `notifications`). */
  async nextNotification<T>(method: string, from = 0, timeoutMs = 10_000, where: (params: T) => boolean = () => true): Promise<T> {
    const hit = await waitFor(
      () => this.notifications.slice(from).find((n) => n.method === method && where(n.params as T)),
      `a ${method} notification`,
      timeoutMs,
    );
    return hit.params as T;
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => {});
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
