/**
 * Probe workers: thresholds, delays and gating on a manual clock with scripted results
 * (deterministic, no sleeping), then against a real HTTP server, TCP listener and process.
 */
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../../../lib/api/model.ts';
import type { Probe } from '../../../../../lib/api/kinds/probe.ts';
import type { ActionResult, ActionTarget } from '../../../../../runtime/kubelet/backends/process/actions.ts';
import { startProbes, type ContainerProber, type ProberCallbacks, type ProberTimers } from '../../../../../runtime/kubelet/backends/process/prober.ts';
import { eventually } from '../../../harness.ts';

/** Timers that fire only when the test advances the clock. */
class ManualClock implements ProberTimers {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown): void => void this.timers.delete(id as number);
  /** Moves to `to` ms, firing due timers in order and letting each attempt settle. */
  async advanceTo(to: number): Promise<void> {
    await settle();
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
      await settle();
    }
    this.t = to;
  }
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Callbacks that record what happened, each with the clock's time. */
function recorder(clock: { now(): number }) {
  const log: string[] = [];
  const at = (): string => `${clock.now() / 1000}s`;
  const cb: ProberCallbacks = {
    onReady: (r) => log.push(`${at()} ready=${r}`),
    onStarted: () => log.push(`${at()} started`),
    onFailed: (type, msg) => log.push(`${at()} failed ${type}: ${msg}`),
    event: (reason, msg) => log.push(`${at()} ${reason}: ${msg}`),
  };
  return { log, cb };
}

/** An action runner that answers from a script per probe kind and records each call's time. */
function scripted(clock: ManualClock, scripts: Partial<Record<'exec' | 'httpGet' | 'tcpSocket', ActionResult[]>>) {
  const calls: string[] = [];
  const run = async (p: Probe | object): Promise<ActionResult> => {
    const kind = (['exec', 'httpGet', 'tcpSocket'] as const).find((k) => k in p)!;
    calls.push(`${clock.now() / 1000}s ${kind}`);
    return scripts[kind]?.shift() ?? { result: 'success', output: '' };
  };
  return { calls, run };
}

const ok: ActionResult = { result: 'success', output: '' };
const bad = (output = 'boom'): ActionResult => ({ result: 'failure', output });
const noTarget = {} as ActionTarget;
// Liveness, readiness and startup use different handlers so the script can tell them apart.
const liveness = (p: Partial<Probe> = {}): Probe => ({ tcpSocket: { port: 1 }, ...p });
const readiness = (p: Partial<Probe> = {}): Probe => ({ httpGet: { path: '/', port: 1 }, ...p });
const startup = (p: Partial<Probe> = {}): Probe => ({ exec: { command: ['true'] }, ...p });
const container = (c: Partial<Container>): Container => ({ name: 'web', image: 'x', ...c });

const running: ContainerProber[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.stop();
});
function start(...args: Parameters<typeof startProbes>): ContainerProber {
  const p = startProbes(...args);
  running.push(p);
  return p;
}

describe('probe workers on a manual clock', () => {
  it('a container without probes is started and ready at once', () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const p = start(container({}), noTarget, cb, clock);
    expect(p.started && p.ready).toBe(true);
    expect(log).toEqual(['0s started', '0s ready=true']);
  });

  it('readiness starts false and follows successThreshold and failureThreshold', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const { run, calls } = scripted(clock, { httpGet: [ok, ok, bad(), bad(), bad(), ok, ok] });
    const p = start(container({ readinessProbe: readiness({ successThreshold: 2, periodSeconds: 10 }) }), noTarget, cb, clock, { run });
    expect(p.ready).toBe(false);
    await clock.advanceTo(60_000);
    expect(calls).toEqual(['0s httpGet', '10s httpGet', '20s httpGet', '30s httpGet', '40s httpGet', '50s httpGet', '60s httpGet']);
    expect(log).toEqual([
      '0s started',
      '10s ready=true',
      '20s Unhealthy: Readiness probe failed: boom',
      '30s Unhealthy: Readiness probe failed: boom',
      '40s Unhealthy: Readiness probe failed: boom',
      '40s ready=false',
      '60s ready=true',
    ]);
  });

  it('skips ticks before initialDelaySeconds and uses the default period of 10 s', async () => {
    const clock = new ManualClock();
    const { cb } = recorder(clock);
    const { run, calls } = scripted(clock, {});
    start(container({ readinessProbe: readiness({ initialDelaySeconds: 15 }) }), noTarget, cb, clock, { run });
    await clock.advanceTo(40_000);
    expect(calls).toEqual(['20s httpGet', '30s httpGet', '40s httpGet']);
  });

  it('liveness failing failureThreshold times in a row asks for a restart, then stops probing', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const { run, calls } = scripted(clock, { tcpSocket: [bad('a'), ok, bad('b'), bad('c'), bad('d'), bad('e')] });
    start(container({ livenessProbe: liveness({ periodSeconds: 5 }) }), noTarget, cb, clock, { run });
    await clock.advanceTo(60_000);
    expect(calls).toEqual(['0s tcpSocket', '5s tcpSocket', '10s tcpSocket', '15s tcpSocket', '20s tcpSocket']);
    expect(log.slice(-2)).toEqual(['20s Unhealthy: Liveness probe failed: d', '20s failed liveness: Container web failed liveness probe, will be restarted']);
  });

  it('the startup probe holds back liveness and readiness; once it succeeds readiness runs at once', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const { run, calls } = scripted(clock, { exec: [bad(), bad(), ok] });
    const c = container({
      startupProbe: startup({ periodSeconds: 2, failureThreshold: 30 }),
      livenessProbe: liveness({ periodSeconds: 10 }),
      readinessProbe: readiness({ periodSeconds: 10 }),
    });
    const p = start(c, noTarget, cb, clock, { run });
    expect(p.started).toBe(false);
    await clock.advanceTo(20_000);
    expect(calls).toEqual(['0s exec', '2s exec', '4s exec', '4s httpGet', '10s tcpSocket', '10s httpGet', '20s tcpSocket', '20s httpGet']);
    expect(log).toEqual(['0s Unhealthy: Startup probe failed: boom', '2s Unhealthy: Startup probe failed: boom', '4s started', '4s ready=true']);
    expect(p.started && p.ready).toBe(true);
  });

  it('a startup probe that never succeeds asks for a restart', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const { run } = scripted(clock, { exec: [bad(), bad()] });
    start(container({ startupProbe: startup({ periodSeconds: 1, failureThreshold: 2 }) }), noTarget, cb, clock, { run, willRestart: false });
    await clock.advanceTo(5_000);
    expect(log.at(-1)).toBe('1s failed startup: Container web failed startup probe');
  });

  it('an errored attempt is retried, reported, and counted towards nothing', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const err: ActionResult = { result: 'failure', output: 'port web not found', errored: true };
    const { run, calls } = scripted(clock, { tcpSocket: [err, err, err, bad(), bad()] });
    start(container({ livenessProbe: liveness({ failureThreshold: 2 }) }), noTarget, cb, clock, { run });
    await clock.advanceTo(10_000);
    expect(calls).toEqual(['0s tcpSocket', '0s tcpSocket', '0s tcpSocket', '10s tcpSocket']);
    expect(log).toEqual(['0s started', '0s ready=true', '0s Unhealthy: Liveness probe errored and resulted in unknown state: port web not found', '10s Unhealthy: Liveness probe failed: boom']);
  });

  it('a warning is an event and counts as success', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    const { run } = scripted(clock, { httpGet: [{ result: 'warning', output: 'Probe terminated redirects, Response body: ' }] });
    start(container({ readinessProbe: readiness() }), noTarget, cb, clock, { run });
    await clock.advanceTo(0);
    expect(log).toEqual(['0s started', '0s ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: ', '0s ready=true']);
  });

  it('waits a random part of the period when the kubelet has just started', async () => {
    const clock = new ManualClock();
    clock.t = 1_000;
    const { cb } = recorder(clock);
    const { run, calls } = scripted(clock, {});
    start(container({ readinessProbe: readiness() }), noTarget, cb, clock, { run, kubeletStartedAt: 0, random: () => 0.25 });
    await clock.advanceTo(30_000);
    expect(calls).toEqual(['3.5s httpGet', '13.5s httpGet', '23.5s httpGet']);
  });

  it('reports nothing after stop, even for an attempt in flight', async () => {
    const clock = new ManualClock();
    const { log, cb } = recorder(clock);
    let aborted = false;
    const run = (_p: unknown, _t: unknown, _ms: number, signal?: AbortSignal): Promise<ActionResult> =>
      new Promise((resolve) => signal?.addEventListener('abort', () => ((aborted = true), resolve(bad()))));
    const p = start(container({ livenessProbe: liveness({ failureThreshold: 1 }) }), noTarget, cb, clock, { run });
    await clock.advanceTo(0);
    p.stop();
    await clock.advanceTo(60_000);
    expect(aborted).toBe(true);
    expect(log).toEqual(['0s started', '0s ready=true']);
  });
});

describe('probe workers against real servers and processes', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const c of closers.splice(0)) c();
  });
  const target = (c: Container): ActionTarget => ({
    podIP: '127.0.0.1',
    container: c,
    execCommand: (argv) => ({ file: argv[0]!, args: argv.slice(1), env: { PATH: process.env.PATH ?? '' }, cwd: tmpdir() }),
  });
  async function listen(server: net.Server): Promise<number> {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    return (server.address() as net.AddressInfo).port;
  }

  it('readiness follows an HTTP server that switches between 200 and 500', async () => {
    let status = 200;
    const server = http.createServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    closers.push(() => server.closeAllConnections());
    const port = await listen(server);
    const c = container({ readinessProbe: { httpGet: { path: '/ready', port }, periodSeconds: 1, failureThreshold: 1 } });
    const { log, cb } = recorder({ now: () => 0 });
    const p = start(c, target(c), cb);
    await eventually(() => p.ready, { what: 'ready' });
    status = 500;
    await eventually(() => !p.ready, { what: 'not ready' });
    expect(log).toContain('0s Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500');
    status = 200;
    await eventually(() => p.ready, { what: 'ready again' });
  });

  it('readiness over TCP becomes true once something listens', async () => {
    const server = net.createServer((s) => s.destroy());
    const port = await listen(server);
    const c = container({ readinessProbe: { tcpSocket: { port }, periodSeconds: 1 } });
    const p = start(c, target(c), recorder({ now: () => 0 }).cb);
    await eventually(() => p.ready, { what: 'ready' });
  });

  it("a liveness exec of `sh -c 'exit 1'` asks for a restart", async () => {
    const c = container({ livenessProbe: { exec: { command: ['sh', '-c', 'echo unhealthy; exit 1'] }, periodSeconds: 1, failureThreshold: 2 } });
    const { log, cb } = recorder({ now: () => 0 });
    start(c, target(c), cb);
    await eventually(() => log.some((l) => l.includes('failed liveness')), { what: 'liveness failure' });
    expect(log).toEqual([
      '0s started',
      '0s ready=true',
      '0s Unhealthy: Liveness probe failed: unhealthy\n',
      '0s Unhealthy: Liveness probe failed: unhealthy\n',
      '0s failed liveness: Container web failed liveness probe, will be restarted',
    ]);
  });
});
