/**
 * A container's probe workers (k/k pkg/kubelet/prober/worker.go, prober.go): each probe runs
 * every periodSeconds, skipped until initialDelaySeconds have passed since the container
 * started, with successThreshold/failureThreshold counting consecutive equal results and
 * Kubernetes' defaults; the startup probe gates liveness and readiness. Results reach the
 * backend through callbacks; every failed attempt is reported with the kubelet's wording
 * (`Liveness probe failed: <output>`). Clock and timers are injected. (Issue 11 §4.)
 */
import type { Container } from '../../../../lib/api/model.ts';
import type { Probe } from '../../../../lib/api/kinds/probe.ts';
import { runAction, type ActionResult, type ActionTarget } from './actions.ts';
import { probeWheel } from './probe-wheel.ts';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

export interface ProberCallbacks {
  /** Readiness changed (false until the first success; true at once for a container without a readiness probe once started). */
  onReady(ready: boolean): void;
  /** The startup probe succeeded (or there is none): `started` becomes true. */
  onStarted(): void;
  /** Liveness or startup failed past its threshold: the container is to be killed and restarted. */
  onFailed(type: 'liveness' | 'startup', message: string): void;
  /** A Warning event: reason `Unhealthy` (or `ProbeWarning`) and its message. */
  event(reason: 'Unhealthy' | 'ProbeWarning', message: string): void;
}

export interface ProberTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
}

export interface ContainerProber {
  readonly ready: boolean;
  readonly started: boolean;
  stop(): void;
}

export interface ProberOptions {
  /**
   * When the kubelet started. A worker started less than one period after it first waits a
   * random part of the period, so probes of adopted containers do not all fire at once
   * (worker.go run). Unset: no such wait.
   */
  kubeletStartedAt?: number;
  random?: () => number;
  /** restartPolicy Never: the kill message has no `, will be restarted` (computePodActions). */
  willRestart?: boolean;
  /** The action runner; tests give scripted results. */
  run?: typeof runAction;
}

/** Kubernetes' probe defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe). */
const DEFAULT_PERIOD_S = 10;
const DEFAULT_TIMEOUT_S = 1;
const DEFAULT_FAILURE_THRESHOLD = 3;
const DEFAULT_SUCCESS_THRESHOLD = 1;
/** prober.go maxProbeRetries: an attempt that errors is retried at once, this many times in all. */
const MAX_PROBE_RETRIES = 3;

/**
 * httpGet, tcpSocket and grpc workers of the whole process tick on one grid of whole seconds, so
 * their probes share one wake-up a second (probe-wheel.ts). Exec workers keep their own times: each exec probe forks the
 * runtime, and ten forks at once measured costlier than the ten wake-ups they save (probably
 * copy-on-write faults while children are not yet exec'd).
 */
const gridTimers: ProberTimers = probeWheel();
const ownTimers: ProberTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

const TYPE_WORD: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

/** Starts the probes of a container that just started. */
export function startProbes(c: Container, target: ActionTarget, cb: ProberCallbacks, injected?: ProberTimers, options: ProberOptions = {}): ContainerProber {
  const run = options.run ?? runAction;
  const startedAt = (injected ?? ownTimers).now();
  const abort = new AbortController();
  const workers = new Map<ProbeType, Worker>();
  let stopped = false;
  let started = !c.startupProbe;
  let ready = false;

  const setReady = (v: boolean): void => {
    if (ready === v) return;
    ready = v;
    cb.onReady(v);
  };
  const markStarted = (): void => {
    started = true;
    cb.onStarted();
    // A container without a readiness probe is ready as soon as it has started; one with a
    // readiness probe is probed now rather than a period later (prober_manager UpdatePodStatus
    // triggers a not-yet-ready container's readiness worker).
    if (!c.readinessProbe) setReady(true);
    else workers.get('readiness')?.trigger();
  };

  interface Worker {
    trigger(): void;
    cancel(): void;
  }

  function worker(type: ProbeType, spec: Probe): Worker {
    const timers = injected ?? (spec.exec ? ownTimers : gridTimers);
    const periodMs = (spec.periodSeconds || DEFAULT_PERIOD_S) * 1000;
    const timeoutMs = (spec.timeoutSeconds || DEFAULT_TIMEOUT_S) * 1000;
    const successThreshold = spec.successThreshold || DEFAULT_SUCCESS_THRESHOLD;
    const failureThreshold = spec.failureThreshold || DEFAULT_FAILURE_THRESHOLD;
    let lastResult: 'success' | 'failure' | undefined;
    let resultRun = 0;
    let firstTick = timers.now();
    let timer: unknown;
    let busy = false;
    // A trigger before the first tick (while the start-up jitter runs) waits for that tick, as upstream's buffered channel does.
    let begun = false;

    const at = (ms: number): void => {
      timers.clearTimeout(timer);
      timer = timers.setTimeout(() => void tick(), ms);
    };
    // Ticks keep the period's phase (a ticker): a slow attempt skips ticks rather than shifting them.
    const scheduleNext = (): void => {
      const now = timers.now();
      at(firstTick + (Math.floor((now - firstTick) / periodMs) + 1) * periodMs - now);
    };

    const tick = async (): Promise<void> => {
      begun = true;
      if (stopped || busy) return;
      if (type === 'startup' && started) return; // the startup worker's job is done
      if (Math.floor((timers.now() - startedAt) / 1000) < (spec.initialDelaySeconds ?? 0) || (type !== 'startup' && !started)) {
        return scheduleNext();
      }
      busy = true;
      const r = await attempt();
      busy = false;
      if (stopped) return;
      if (r.errored) {
        // The result is thrown away: it counts towards no threshold.
        cb.event('Unhealthy', `${TYPE_WORD[type]} probe errored and resulted in unknown state: ${r.output}`);
        return scheduleNext();
      }
      if (r.result === 'warning') cb.event('ProbeWarning', `${TYPE_WORD[type]} probe warning: ${r.output}`);
      if (r.result === 'failure') cb.event('Unhealthy', `${TYPE_WORD[type]} probe failed: ${r.output}`);
      const result = r.result === 'failure' ? 'failure' : 'success';
      resultRun = lastResult === result ? resultRun + 1 : 1;
      lastResult = result;
      if (resultRun < (result === 'failure' ? failureThreshold : successThreshold)) return scheduleNext();
      if (type === 'readiness') setReady(result === 'success');
      else if (result === 'failure') {
        // The container is to be killed; its replacement gets new workers.
        const restart = options.willRestart === false ? '' : ', will be restarted';
        return cb.onFailed(type, `Container ${c.name} failed ${type} probe${restart}`);
      } else if (type === 'startup') return markStarted();
      scheduleNext();
    };

    const attempt = async (): Promise<ActionResult> => {
      let r: ActionResult = { result: 'failure', output: '', errored: true };
      for (let i = 0; i < MAX_PROBE_RETRIES && !stopped; i++) {
        r = await run(spec, target, timeoutMs, abort.signal).catch((e: Error) => ({ result: 'failure' as const, output: e.message, errored: true }));
        if (!r.errored) break;
      }
      return r;
    };

    const kubeletAge = options.kubeletStartedAt === undefined ? Infinity : timers.now() - options.kubeletStartedAt;
    if (periodMs > kubeletAge) {
      const jitter = Math.floor((options.random ?? Math.random)() * periodMs);
      firstTick += jitter;
      at(jitter);
    } else queueMicrotask(() => void tick());
    return {
      trigger: () => {
        if (begun) void tick();
      },
      cancel: () => timers.clearTimeout(timer),
    };
  }

  if (c.startupProbe) workers.set('startup', worker('startup', c.startupProbe));
  if (c.livenessProbe) workers.set('liveness', worker('liveness', c.livenessProbe));
  if (c.readinessProbe) workers.set('readiness', worker('readiness', c.readinessProbe));
  if (started) markStarted();

  return {
    get ready() {
      return ready;
    },
    get started() {
      return started;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const w of workers.values()) w.cancel();
      abort.abort();
    },
  };
}
