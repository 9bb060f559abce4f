/**
 * apply.ts's write loop against the real local runtime: the writes of one rank go out together
 * (bounded), each failure of a rank is reported next to the others' results, a stop lets the
 * writes in flight finish and starts no more, and the result is in plan order whatever order the
 * writes finished in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { KubeClient, KubeconfigError, loadKubeconfig, type PatchOptions, type PatchType, type ResourceRef } from '../../lib/kube/index.ts';
import { applyPlan, type ApplyResult } from '../../lib/plan/apply.ts';
import { refId, type ObjectRef } from '../../lib/plan/plan.ts';
import { planStack } from '../../lib/plan/planner.ts';
import { InterruptedError } from '../../lib/plan/stop.ts';
import type { StackManifests } from '../../lib/synth/manifest.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

/**
 * A real client whose ConfigMap writes (each really written) hold their answers until `gateAt`
 * of them are in flight, then release them last-first; so the run shows how many writes were in
 * flight at once, and that completion order does not decide the result's order. If the gate
 * never fills (writes one at a time), it opens after `GATE_DEADLINE_MS` so the test fails on its
 * assertions rather than hanging.
 */
class GatedClient extends KubeClient {
  inFlight = 0;
  maxInFlight = 0;
  gateOpened = false;
  answered: string[] = [];
  #held: Array<() => void> = [];
  #deadline: NodeJS.Timeout | undefined;
  #spent = false;
  gateAt = Infinity;

  /** A closed gate that opens at `gateAt` held answers. */
  arm(gateAt: number): void {
    this.open();
    this.gateAt = gateAt;
    this.#spent = false;
    this.gateOpened = false;
    this.maxInFlight = 0;
    this.answered = [];
  }

  override async patch<T = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, body: unknown, opts: PatchOptions = {}): Promise<T> {
    if (ref.kind !== 'ConfigMap') return super.patch<T>(ref, namespace, name, type, body, opts);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const written = await super.patch<T>(ref, namespace, name, type, body, opts);
      await this.#hold();
      this.answered.push(name);
      return written;
    } finally {
      this.inFlight--;
    }
  }

  #hold(): Promise<void> {
    if (this.#spent || this.gateAt === Infinity) return Promise.resolve();
    const held = new Promise<void>((resolve) => this.#held.push(resolve));
    this.#deadline ??= setTimeout(() => this.open(), GATE_DEADLINE_MS);
    if (this.#held.length >= this.gateAt) setImmediate(() => this.open()); // after this write awaits its answer too
    return held;
  }

  /** Releases what is held; the gate stays open until reset. */
  open(): void {
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    this.#spent = true;
    this.gateOpened ||= this.#held.length >= this.gateAt;
    for (const release of this.#held.reverse()) release();
    this.#held = [];
  }
}
const GATE_DEADLINE_MS = 15_000;

let rt: TestRuntime;
let client: GatedClient;

beforeAll(async () => {
  rt = await startTestRuntime();
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new GatedClient(target);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'par' } });
});
afterAll(async () => {
  client?.open();
  client?.close();
  await rt?.close();
});

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9' };
const stack = (name: string, objects: KubeObject[]): StackManifests => ({ name, manifests: objects.map((object) => ({ object, origin: {} })) });
const cm = (name: string, namespace = 'par'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { k: name } });
const svc = (name: string, namespace = 'par'): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ExternalName', externalName: `${name}.example.com` } });
const line = (a: { action: string; ref: ObjectRef }) => `${a.action} ${refId(a.ref)}`;
function ok(r: ApplyResult): ApplyResult {
  if (r.failed) throw r.failed.error;
  return r;
}

describe('the writes of one rank', () => {
  it('go out together, at most `concurrency` at once; the result is in plan order, not the order they finished in', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `cm-${i}`);
    const plan = await planStack(stack('par-gate', names.map((n) => cm(n))), client, OPTS);
    client.arm(4);
    try {
      const result = ok(await applyPlan(plan, client, { concurrency: 4 }));
      expect(client.gateOpened).toBe(true); // 4 writes were in flight at once
      expect(client.maxInFlight).toBe(4); // and never more
      expect(client.answered.slice(0, 4)).toEqual(['cm-3', 'cm-2', 'cm-1', 'cm-0']); // answered last-first
      expect(result.applied.map(line)).toEqual(plan.actions.map(line));
      for (const n of names) expect((await client.get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' }, 'par', n)).data).toEqual({ k: n });
    } finally {
      client.open();
      client.gateAt = Infinity;
    }
  });

  it('a failed write is reported with the results of the rest of its rank; later ranks are not attempted', async () => {
    const objects = [svc('a'), svc('b', 'no-such-namespace'), svc('c'), svc('d', 'no-such-namespace'), cm('later')];
    const plan = await planStack(stack('par-fail', objects), client, OPTS);
    const result = await applyPlan(plan, client, { concurrency: 4 });
    expect(result.applied.map(line)).toEqual(['create par/Service/a', 'create par/Service/c']);
    expect(result.failed?.ref.name).toBe('b');
    expect((result.failures ?? []).map((f) => `${line(f)}: ${f.error.message}`)).toEqual([
      expect.stringMatching(/^create no-such-namespace\/Service\/b: .*namespaces "no-such-namespace" not found/),
      expect.stringMatching(/^create no-such-namespace\/Service\/d: .*namespaces "no-such-namespace" not found/),
    ]);
    expect(result.skipped.map(refId)).toEqual(['par/ConfigMap/later']);
    // What was written is a member: the next plan of an empty stack deletes exactly it.
    const next = await planStack(stack('par-fail', []), client, OPTS);
    expect(next.actions.map(line).sort()).toEqual(['delete par/Service/a', 'delete par/Service/c']);
    ok(await applyPlan(next, client));
  });

  it('a stop lets the writes in flight finish and starts no more', async () => {
    const plan = await planStack(stack('par-stop', ['one', 'two', 'three', 'four'].map((n) => cm(n))), client, OPTS);
    const ctl = new AbortController();
    const result = await applyPlan(plan, client, {
      concurrency: 2,
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'done') ctl.abort(new InterruptedError('SIGINT'));
      },
    });
    expect(result.applied.map(line)).toEqual(['create par/ConfigMap/one', 'create par/ConfigMap/two']);
    expect(result.failed).toBeUndefined();
    expect(result.stopped).toBeInstanceOf(InterruptedError);
    expect(result.skipped.map(refId)).toEqual(['par/ConfigMap/three', 'par/ConfigMap/four']);
    const next = await planStack(stack('par-stop', []), client, OPTS);
    expect(next.actions.map(line)).toEqual(['delete par/ConfigMap/one', 'delete par/ConfigMap/two']);
    ok(await applyPlan(next, client));
  });
});
