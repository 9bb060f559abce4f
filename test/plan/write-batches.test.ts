import { describe, expect, it } from 'vitest';
import type { ActionType, ObjectRef } from '../../lib/plan/plan.ts';
import { runBatch, writeBatches } from '../../lib/plan/write-batches.ts';

const ref = (kind: string, name: string, apiVersion = 'v1'): ObjectRef => ({ apiVersion, kind, namespace: 'ns', name });
const act = (action: ActionType, r: ObjectRef) => ({ action, ref: r });
const names = (batches: Array<Array<{ ref: ObjectRef }>>) => batches.map((b) => b.map((a) => a.ref.name));

describe('writeBatches', () => {
  it('splits an ordered plan into runs of one rank and one direction, keeping the order', () => {
    const plan = [
      act('create', ref('Namespace', 'ns')),
      act('create', ref('Service', 's1')),
      act('update', ref('Service', 's2')),
      act('create', ref('ReplicaSet', 'r1', 'apps/v1')),
      act('replace', ref('Pod', 'p1')),
      act('create', ref('ConfigMap', 'c1')),
      act('create', ref('Secret', 'x1')),
      act('delete', ref('ConfigMap', 'c0')),
      act('delete', ref('Service', 's0')),
      act('delete', ref('Service', 's9')),
    ];
    expect(names(writeBatches(plan))).toEqual([['ns'], ['s1', 's2'], ['r1', 'p1'], ['c1', 'x1'], ['c0'], ['s0', 's9']]);
  });

  it('writes a CustomResourceDefinition alone: the custom resources after it wait until it is written', () => {
    const crd = (name: string) => ref('CustomResourceDefinition', name, 'apiextensions.k8s.io/v1');
    const plan = [act('create', ref('ConfigMap', 'c1')), act('create', crd('crd1')), act('create', crd('crd2')), act('create', ref('Widget', 'w1', 'example.com/v1')), act('create', ref('Widget', 'w2', 'example.com/v1'))];
    expect(names(writeBatches(plan))).toEqual([['c1'], ['crd1'], ['crd2'], ['w1', 'w2']]);
  });

  it('an empty plan has no batches', () => {
    expect(writeBatches([])).toEqual([]);
  });
});

/** A promise per item that the test settles by hand. */
function deferredCalls() {
  const calls: Array<{ item: number; resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  const fn = (item: number) => new Promise<string>((resolve, reject) => calls.push({ item, resolve, reject }));
  return { calls, fn };
}
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('runBatch', () => {
  it('has at most `limit` calls in flight, starts the next as one ends, and reports in input order', async () => {
    const { calls, fn } = deferredCalls();
    const run = runBatch([0, 1, 2, 3, 4], 2, () => false, fn);
    await flush();
    expect(calls.map((c) => c.item)).toEqual([0, 1]);
    calls[1]!.resolve('b'); // the second ends first
    await flush();
    expect(calls.map((c) => c.item)).toEqual([0, 1, 2]);
    calls[0]!.resolve('a');
    calls[2]!.resolve('c');
    await flush();
    expect(calls.map((c) => c.item)).toEqual([0, 1, 2, 3, 4]);
    calls[4]!.resolve('e');
    calls[3]!.resolve('d');
    expect(await run).toEqual(['a', 'b', 'c', 'd', 'e'].map((value) => ({ status: 'done', value })));
  });

  it('a failure does not stop the others: each outcome is reported', async () => {
    const { calls, fn } = deferredCalls();
    const run = runBatch([0, 1, 2], 1, () => false, fn);
    await flush();
    calls[0]!.reject(new Error('refused'));
    await flush();
    calls[1]!.resolve('b');
    await flush();
    calls[2]!.resolve('c');
    const out = await run;
    expect(out[0]).toEqual({ status: 'failed', error: new Error('refused') });
    expect(out.slice(1)).toEqual([
      { status: 'done', value: 'b' },
      { status: 'done', value: 'c' },
    ]);
  });

  it('once stopped, nothing more starts; what is in flight finishes', async () => {
    const { calls, fn } = deferredCalls();
    let stopped = false;
    const run = runBatch([0, 1, 2, 3], 2, () => stopped, fn);
    await flush();
    stopped = true;
    calls[0]!.resolve('a');
    calls[1]!.resolve('b');
    expect(await run).toEqual([{ status: 'done', value: 'a' }, { status: 'done', value: 'b' }, { status: 'not-started' }, { status: 'not-started' }]);
    expect(calls).toHaveLength(2);
  });
});
