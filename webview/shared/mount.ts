/**
 * How every page's bundle starts: its element in the body, laid out as a
 * page (base.css's `.page`), then connected to the extension.
 */
import type { MessageConnection } from 'vscode-jsonrpc/browser';
import { extensionConnection } from './messaging';

/** What a page's element offers its bundle. */
export interface PageElement extends HTMLElement {
  connect(connection: MessageConnection): void;
}

export function mount(tagName: string): void {
  const page = document.createElement(tagName) as PageElement;
  page.classList.add('page');
  document.body.append(page);
  page.connect(extensionConnection());
}
