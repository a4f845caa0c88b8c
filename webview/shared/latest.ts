/**
 * The one way a page asks for data that goes out of date: ask for version N;
 * a request that a newer one supersedes is cancelled, and its answer, should
 * it come anyway, is dropped. In the spirit of GitLens's createResource
 * (apps/shared/state/resource.ts): one object per kind of request, instead of
 * a generation counter and an in-flight record in each page.
 *
 * The cancel is real: the fetch gets a vscode-jsonrpc CancellationToken to
 * pass to `connection.sendRequest(type, params, token)`, so jsonrpc sends
 * `$/cancelRequest` for it to the extension, which cancels its own request to
 * the language server.
 */
import { type CancellationToken, CancellationTokenSource } from 'vscode-jsonrpc';

export class LatestRequest<T> {
  private current: { key: string; source: CancellationTokenSource } | undefined;

  /**
   * Ask for the data named `key` (what tells two requests apart: the version
   * asked for, the code object's path, …). When that key is already in flight
   * nothing more is sent and this resolves undefined: the first asker gets the
   * answer. A request in flight for another key is superseded: cancelled, its
   * answer dropped. Resolves the answer, or undefined when this request is
   * superseded (or cancelled) before it comes. A failure of the request still
   * current is thrown; one of a superseded request is dropped like its answer.
   */
  async ask(key: string, fetch: (token: CancellationToken) => Promise<T>): Promise<T | undefined> {
    if (this.current?.key === key) return undefined;
    this.cancel();
    const mine = { key, source: new CancellationTokenSource() };
    this.current = mine;
    try {
      const answer = await fetch(mine.source.token);
      return this.current === mine ? answer : undefined;
    } catch (err) {
      if (this.current !== mine) return undefined;
      throw err;
    } finally {
      if (this.current === mine) this.current = undefined;
      mine.source.dispose();
    }
  }

  /** Cancel the request in flight, if any (the page moved to another document, interpreter, …): its answer is dropped. */
  cancel(): void {
    const superseded = this.current;
    this.current = undefined;
    superseded?.source.cancel();
  }

  /** The key of the request in flight, if one is. */
  get pending(): string | undefined {
    return this.current?.key;
  }
}
