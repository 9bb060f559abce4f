/** Abort callbacks on one listener per signal: called once on abort, never after being forgotten. */
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../../../../runtime/kubelet/backends/process/abort-hooks.ts';

describe('onAbort', () => {
  it('calls the callbacks registered when the signal aborts, once, and not the forgotten ones', () => {
    const ac = new AbortController();
    const calls: string[] = [];
    onAbort(ac.signal, () => calls.push('a'));
    const forgetB = onAbort(ac.signal, () => calls.push('b'));
    onAbort(ac.signal, () => calls.push('c'));
    forgetB();
    ac.abort();
    ac.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('keeps the callbacks of different signals apart', () => {
    const one = new AbortController();
    const two = new AbortController();
    const calls: string[] = [];
    onAbort(one.signal, () => calls.push('one'));
    onAbort(two.signal, () => calls.push('two'));
    two.abort();
    expect(calls).toEqual(['two']);
  });

  it('does nothing without a signal', () => {
    const forget = onAbort(undefined, () => {
      throw new Error('called');
    });
    expect(() => forget()).not.toThrow();
  });
});
