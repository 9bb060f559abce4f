/** The process backend's container lifecycle with real processes: restarts, back-off, phases, init containers, hooks, termination. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRuntime } from '../../../harness.ts';
import { eventually } from '../../../harness.ts';
import { createPod, eventsOf, killMarked, markerProcesses, podWhere, shell, startProcessRuntime } from './helpers.ts';

const MARKER = `lifecycle-${process.pid}`;
let rt: TestRuntime;
let scratch: string;

beforeAll(async () => {
  rt = await startProcessRuntime();
  scratch = await mkdtemp(join(tmpdir(), 'kite-proc-'));
});

afterAll(async () => {
  await rt?.close();
  killMarked(MARKER);
  await rm(scratch, { recursive: true, force: true });
});

const status = (p: { status?: { containerStatuses?: unknown[] } }) => (p.status?.containerStatuses?.[0] ?? {}) as import('../../../../../lib/api/model.ts').ContainerStatus;

async function deletePod(name: string, grace = 0): Promise<void> {
  await rt.runtime.client.delete('pods', 'default', name, { gracePeriodSeconds: grace });
  await eventually(() => !rt.runtime.client.get('pods', 'default', name), { timeoutMs: 20_000, what: `pod ${name} gone` });
}

describe('restartPolicy', () => {
  it('Always: a container that exits is restarted, behind CrashLoopBackOff', async () => {
    await createPod(rt, 'crasher', { containers: [shell('main', 'echo run; exit 3', MARKER)] });
    const p = await podWhere(rt, 'crasher', (p) => (status(p).restartCount ?? 0) >= 2 && status(p).state?.waiting?.reason === 'CrashLoopBackOff', 'restarted twice, backing off');
    const s = status(p);
    expect(s.state?.waiting?.message).toMatch(new RegExp(`^back-off \\d+ms restarting failed container=main pod=crasher_default\\(${p.metadata.uid}\\)$`));
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(p.status?.phase).toBe('Running');
    const backoff = eventsOf(rt, 'crasher').find((e) => e.reason === 'BackOff');
    expect(backoff).toMatchObject({ type: 'Warning', message: `Back-off restarting failed container main in pod crasher_default(${p.metadata.uid})`, involvedObject: { fieldPath: 'spec.containers{main}' } });
    expect(eventsOf(rt, 'crasher').find((e) => e.reason === 'Started')?.message).toBe('Started container main');
    await deletePod('crasher');
  });

  it('Never: the pod ends Succeeded or Failed with the exit reason', async () => {
    await createPod(rt, 'ok', { restartPolicy: 'Never', containers: [shell('main', 'exit 0', MARKER)] });
    // `$$$$`: the kubelet's $(VAR) expansion turns `$$` into `$`, so the shell sees `$$`.
    await createPod(rt, 'bad', { restartPolicy: 'Never', containers: [shell('main', 'kill -9 $$$$', MARKER)] });
    const ok = await podWhere(rt, 'ok', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
    expect(status(ok).state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(status(ok).restartCount).toBe(0);
    const bad = await podWhere(rt, 'bad', (p) => p.status?.phase === 'Failed', 'Failed');
    expect(status(bad).state?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    await Promise.all([deletePod('ok'), deletePod('bad')]);
  });

  it('OnFailure: a successful exit is not restarted', async () => {
    const flag = join(scratch, 'onfailure');
    await createPod(rt, 'retry', { restartPolicy: 'OnFailure', containers: [shell('main', `if [ -e ${flag} ]; then exit 0; fi; touch ${flag}; exit 1`, MARKER)] });
    const p = await podWhere(rt, 'retry', (p) => p.status?.phase === 'Succeeded', 'Succeeded after one failure');
    expect(status(p).restartCount).toBe(1);
    expect(status(p).lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    await deletePod('retry');
  });
});

describe('init containers', () => {
  it('run in order, each to completion, before the containers', async () => {
    const log = join(scratch, 'init-order');
    await createPod(rt, 'inits', {
      initContainers: [shell('first', `sleep 0.2; echo first >> ${log}`, MARKER), shell('second', `echo second >> ${log}`, MARKER)],
      containers: [shell('main', `echo main >> ${log}; exec sleep 1000`, MARKER)],
    });
    const p = await podWhere(rt, 'inits', (p) => p.status?.phase === 'Running' && status(p).ready, 'Running and ready');
    // Ready once started (no readiness probe): main's first line may come a moment later.
    const lines = await eventually(async () => {
      const l = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      return l.length === 3 && l;
    }, { what: 'three lines in the log' });
    expect(lines).toEqual(['first', 'second', 'main']);
    expect(p.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(p.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    await deletePod('inits');
  });
});

describe('postStart', () => {
  it('a failing hook kills the container: FailedPostStartHook, then back-off', async () => {
    await createPod(rt, 'hooked', {
      containers: [shell('web', 'exec sleep 1000', MARKER, { lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'exit 1'] } } } })],
    });
    const p = await podWhere(rt, 'hooked', (p) => (status(p).restartCount ?? 0) >= 1 && status(p).state?.waiting?.reason === 'CrashLoopBackOff', 'backing off');
    expect(status(p).lastState?.terminated).toMatchObject({ exitCode: 143, reason: 'Error' }); // killed: SIGTERM ended sleep
    const events = eventsOf(rt, 'hooked');
    expect(events.find((e) => e.reason === 'FailedPostStartHook')).toMatchObject({ type: 'Warning', message: 'PostStartHook failed', involvedObject: { fieldPath: 'spec.containers{web}' } });
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('FailedPostStartHook');
    await deletePod('hooked');
  });
});

describe('termination', () => {
  it('preStop, then SIGTERM, then SIGKILL after the grace period, seen by the program', async () => {
    const log = join(scratch, 'termination');
    const program = `trap 'echo TERM >> ${log}' TERM; echo started >> ${log}; while true; do sleep 0.1; done`;
    await createPod(rt, 'stubborn', {
      terminationGracePeriodSeconds: 3,
      containers: [shell('main', program, MARKER, { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `echo preStop >> ${log}`] } } } })],
    });
    await podWhere(rt, 'stubborn', (p) => status(p).state?.running, 'running');
    await eventually(async () => (await readFile(log, 'utf8').catch(() => '')).includes('started'), { what: 'the program started' });
    expect(markerProcesses(MARKER).length).toBeGreaterThan(0);
    const t0 = Date.now();
    await rt.runtime.client.delete('pods', 'default', 'stubborn');
    await eventually(() => !rt.runtime.client.get('pods', 'default', 'stubborn'), { timeoutMs: 20_000, what: 'pod gone' });
    const elapsed = Date.now() - t0;
    expect((await readFile(log, 'utf8')).split('\n').filter(Boolean)).toEqual(['started', 'preStop', 'TERM']);
    expect(elapsed).toBeGreaterThanOrEqual(2500); // the program ignored SIGTERM: only SIGKILL after the grace ended it
    expect(markerProcesses(MARKER)).toEqual([]);
  });
});
