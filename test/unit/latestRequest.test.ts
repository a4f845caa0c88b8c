/**
 * The pages' stale-and-cancel helper (webview/shared/latest.ts), with fetches
 * the test answers by hand: a superseded request is cancelled and its answer
 * dropped, a request already in flight is not sent twice, and a failure
 * reaches only the asker still current. (test/webview/latest.test.ts shows
 * the cancel travelling over a page's real connection.)
 */
import * as assert from 'node:assert/strict';
import type { CancellationToken } from 'vscode-jsonrpc';
import { LatestRequest } from '../../webview/shared/latest';

/** A fetch whose answer the test gives when it likes; it records the token it got. */
function held<T>() {
  let settle!: { resolve: (value: T) => void; reject: (err: unknown) => void };
  const asked: { token?: CancellationToken; calls: number } = { calls: 0 };
  const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  return {
    asked,
    fetch: (token: CancellationToken) => {
      asked.calls++;
      asked.token = token;
      return promise;
    },
    ...settle,
  };
}

describe('LatestRequest (webview/shared/latest.ts)', () => {
  it('cancels the request a newer key supersedes, and drops its answer even when it comes', async () => {
    const latest = new LatestRequest<string>();
    const v1 = held<string>();
    const v2 = held<string>();
    const first = latest.ask('1', v1.fetch);
    assert.equal(latest.pending, '1');
    const second = latest.ask('2', v2.fetch);
    assert.equal(v1.asked.token?.isCancellationRequested, true, 'the superseded request is cancelled');
    assert.equal(v2.asked.token?.isCancellationRequested, false);
    v1.resolve('answer for 1');
    v2.resolve('answer for 2');
    assert.equal(await first, undefined, 'the late answer is dropped');
    assert.equal(await second, 'answer for 2');
    assert.equal(latest.pending, undefined);
  });

  it('sends a key already in flight once: the second asker gets nothing, the first the answer', async () => {
    const latest = new LatestRequest<string>();
    const v1 = held<string>();
    const again = held<string>();
    const first = latest.ask('1', v1.fetch);
    const second = latest.ask('1', again.fetch);
    assert.equal(again.asked.calls, 0, 'not sent again');
    assert.equal(v1.asked.token?.isCancellationRequested, false, 'nor cancelled');
    v1.resolve('answer');
    assert.equal(await second, undefined);
    assert.equal(await first, 'answer');
    // Answered: the same key is asked again (the page decides whether it still needs it).
    const third = held<string>();
    const asked = latest.ask('1', third.fetch);
    assert.equal(third.asked.calls, 1);
    third.resolve('again');
    assert.equal(await asked, 'again');
  });

  it('cancel() cancels what is in flight and drops its answer; the next ask goes out', async () => {
    const latest = new LatestRequest<string>();
    const v1 = held<string>();
    const first = latest.ask('1', v1.fetch);
    latest.cancel();
    assert.equal(v1.asked.token?.isCancellationRequested, true);
    assert.equal(latest.pending, undefined);
    const v1Again = held<string>();
    const second = latest.ask('1', v1Again.fetch);
    assert.equal(v1Again.asked.calls, 1, 'the same key is asked afresh after a cancel');
    v1.resolve('stale');
    v1Again.resolve('fresh');
    assert.equal(await first, undefined);
    assert.equal(await second, 'fresh');
  });

  it('throws the failure of the current request, and drops the failure of a superseded one', async () => {
    const latest = new LatestRequest<string>();
    const v1 = held<string>();
    const v2 = held<string>();
    const first = latest.ask('1', v1.fetch);
    const second = latest.ask('2', v2.fetch);
    v1.reject(new Error('cancelled by the server'));
    v2.reject(new Error('the server is down'));
    assert.equal(await first, undefined);
    await assert.rejects(second, /the server is down/);
  });
});
