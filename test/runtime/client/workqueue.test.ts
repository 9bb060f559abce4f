import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../../../runtime/client/workqueue.ts';

const turn = () => new Promise<void>((r) => setImmediate(r));

function recording(opts: ConstructorParameters<typeof WorkQueue>[2] = {}, body: (key: string) => Promise<void> = async () => {}) {
  const synced: string[] = [];
  const queue = new WorkQueue('test', async (key) => {
    synced.push(key);
    await body(key);
  }, opts);
  return { queue, synced };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkQueue', () => {
  it('waits for start (cache sync), then syncs each key once however often it was added', async () => {
    const { queue, synced } = recording();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    await turn();
    expect(synced).toEqual([]);
    queue.start();
    await queue.idle();
    expect(synced).toEqual(['a', 'b']);
  });

  it('coalesces a burst added in one turn into one sync per key', async () => {
    const { queue, synced } = recording();
    queue.start();
    for (let i = 0; i < 100; i++) queue.add(`k${i % 3}`);
    await queue.idle();
    expect(synced).toEqual(['k0', 'k1', 'k2']);
  });

  it('never runs one key twice at once: a key added while it syncs runs again after', async () => {
    let release!: () => void;
    let running = 0;
    let most = 0;
    const { queue, synced } = recording({ workers: 4 }, async () => {
      running++;
      most = Math.max(most, running);
      if (synced.length === 1) await new Promise<void>((r) => (release = r));
      running--;
    });
    queue.start();
    queue.add('a');
    await turn();
    queue.add('a');
    queue.add('a');
    await turn();
    expect(synced).toEqual(['a']);
    release();
    await queue.idle();
    expect(synced).toEqual(['a', 'a']);
    expect(most).toBe(1);
  });

  it('retries a failing key with per-key exponential backoff, and forgets it on success', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const errors: string[] = [];
    let failures = 3;
    const { queue, synced } = recording({ baseDelayMs: 100, maxDelayMs: 250, onError: (q, key, e) => errors.push(`${q} ${key} ${(e as Error).message}`) }, async () => {
      if (failures-- > 0) throw new Error('boom');
    });
    queue.start();
    queue.add('a');
    await turn();
    expect(synced).toHaveLength(1);
    expect(queue.numRequeues('a')).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    await turn();
    expect(synced).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 100 ms: the second try
    await turn();
    expect(synced).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    await turn();
    expect(synced).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // 200 ms later: the third
    await turn();
    expect(synced).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(250); // capped at 250 ms (not 400): the fourth succeeds
    await turn();
    expect(synced).toHaveLength(4);
    expect(queue.numRequeues('a')).toBe(0);
    expect(errors).toEqual(['test a boom', 'test a boom', 'test a boom']);
    await queue.stop();
  });

  it('addAfter delays a key; adding it again while it waits keeps the earlier time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { queue, synced } = recording();
    queue.start();
    queue.addAfter('a', 1000);
    queue.addAfter('a', 300);
    queue.addAfter('a', 2000);
    await vi.advanceTimersByTimeAsync(299);
    await turn();
    expect(synced).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await turn();
    expect(synced).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(5000);
    await turn();
    expect(synced).toEqual(['a']); // the later times were folded into the earlier one
    await queue.stop();
  });

  it('stop: drops queued and delayed keys, and resolves once the sync in progress is done', async () => {
    let release!: () => void;
    let finished = false;
    const { queue, synced } = recording({}, async (key) => {
      if (key === 'slow') {
        await new Promise<void>((r) => (release = r));
        finished = true;
      }
    });
    queue.start();
    queue.add('slow');
    await turn();
    queue.add('next');
    queue.addAfter('later', 10);
    const stopped = queue.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await turn();
    expect(done).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(true);
    queue.add('after-stop');
    expect(queue.length).toBe(0);
    await turn();
    expect(synced).toEqual(['slow']);
  });
});
