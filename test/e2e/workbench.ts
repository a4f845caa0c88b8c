/**
 * What a person does in the VS Code workbench, as Playwright steps: open a
 * file, hover a word, run a command, read the status bar and the Problems
 * panel. Every wait is a condition with a deadline, never a fixed sleep.
 */
import type { Locator, Page } from 'playwright-core';

export const UI_TIMEOUT = 60_000;

export class Workbench {
  constructor(readonly page: Page) {}

  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT });
    // The explorer fills in once the workbench is connected to the server.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: UI_TIMEOUT });
  }

  /** Answer the workspace-trust dialog, when it shows. */
  async answerTrust(trust: boolean): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await dialog.getByRole('button', { name: trust ? /Yes, I trust/ : /No, I don't trust/ }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Quick Open (Ctrl+P) a file by name; resolves when the editor shows `expectText`. */
  async openFile(name: string, expectText: string): Promise<Locator> {
    await this.quickInput('Control+P', name, name);
    const editor = this.page.locator('.editor-instance .monaco-editor', { hasText: expectText }).first();
    await editor.locator('.view-lines', { hasText: expectText }).waitFor({ timeout: UI_TIMEOUT });
    return editor;
  }

  /** Run a command from the palette by its title. */
  async runCommand(title: string): Promise<void> {
    await this.quickInput('Control+Shift+P', title, title, '>');
  }

  private async quickInput(keys: string, text: string, pick: string, prefix = ''): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    // Focus the workbench first; keys typed into a webview or a dialog go nowhere.
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(keys);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(prefix + text);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Put the cursor at a 1-based line and column (UTF-16 units) with Go to Line (Ctrl+G). */
  async goTo(line: number, column: number): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
    // (The status bar's column counts a surrogate pair such as 🐍 as one: wait for the line only.)
    await this.statusBarItem(new RegExp(`Ln ${line}, Col \\d+`)).waitFor({ timeout: 10_000 });
  }

  /** The rendered line of `editor` that contains `text`. */
  line(editor: Locator, text: string): Locator {
    return editor.locator('.view-line', { hasText: text }).first();
  }

  /**
   * Move the mouse over `word` in the line holding `lineText` until a hover with
   * `expect` in it shows; returns the hover's text. Re-hovers while waiting:
   * the first hover can come before the language server is ready.
   */
  async hover(editor: Locator, lineText: string, word: string, expect: RegExp): Promise<string> {
    const span = this.line(editor, lineText).locator('span span', { hasText: word }).first();
    await span.waitFor({ timeout: UI_TIMEOUT });
    const hover = this.page.locator('.monaco-hover-content');
    const deadline = Date.now() + UI_TIMEOUT;
    let last = '';
    while (Date.now() < deadline) {
      const box = await span.boundingBox();
      if (box) {
        await this.page.mouse.move(box.x + 2, box.y + box.height / 2);
        await this.page.mouse.move(box.x + Math.min(6, box.width / 2), box.y + box.height / 2);
      }
      try {
        await hover.filter({ hasText: expect }).first().waitFor({ timeout: 3_000 });
        return await hover.filter({ hasText: expect }).first().innerText();
      } catch {
        last = (await hover.allInnerTexts().catch(() => [])).join('\n---\n');
        // Move away so that the next move opens a fresh hover.
        await this.page.mouse.move(5, 5);
      }
    }
    throw new Error(`No hover matching ${expect} over "${word}" (last hover: ${last || 'none'})`);
  }

  statusBarItem(text: RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text }).first();
  }
}
