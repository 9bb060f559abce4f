/**
 * One run of a container — one process, from spawn to exit — as kuberuntime_container.go
 * startContainer / killContainer do it: Created, spawn, Started, then the postStart hook (the
 * container is not reported running until it returns; its failure kills the container), then
 * the probes; a kill runs preStop (bounded by the grace period, its whole seconds subtracted),
 * then SIGTERM to the process group, then SIGKILL once the remaining grace (at least 2 s) is up.
 */
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Container, Pod } from '../../../../lib/api/model.ts';
import type { LifecycleHandler } from '../../../../lib/api/kinds/probe.ts';
import { formatTime } from '../../../../lib/api/time.ts';
import type { ContainerState } from '../../status.ts';
import { runAction, type ActionTarget } from './actions.ts';
import { imageExecutable, type ImageProgram } from './images.ts';
import { startErrorOf, unstartedProcess, type ContainerProcess, type ProcessIO, type SpawnProcess } from './container-process.ts';
import type { ContainerLimitWatch } from './limits.ts';
import type { ContainerLogWriter } from './logs.ts';
import type { ProcessRegistry } from './process-registry.ts';
import { startProbes, type ContainerProber, type ProberTimers } from './prober.ts';
import type { PodSandbox, SandboxCommand } from './sandbox.ts';

/** kuberuntime_container.go minimumGracePeriodInSeconds: the least a process gets between SIGTERM and SIGKILL. */
export const MINIMUM_GRACE_SECONDS = 2;

/** What a run reports of itself to its pod. */
export interface RunEvents {
  normal(reason: string, message: string): void;
  warning(reason: string, message: string): void;
  /** Something changed on its own (exit, hook done, probe result). */
  changed(): void;
}

export interface RunSpec {
  pod: Pod;
  container: Container;
  argv: string[];
  /** What the image runs: its `executables` map paths inside the image for exec, probes and hooks. */
  program: ImageProgram;
  env: Record<string, string>;
  workingDir?: string;
  podIP: string;
  sandbox: PodSandbox;
  logs: ContainerLogWriter;
  limits: ContainerLimitWatch;
  registry: ProcessRegistry;
  spawn: SpawnProcess;
  now: () => number;
  timers?: ProberTimers;
  events: RunEvents;
  /** Lifecycle events (Created, Started) are recorded. */
  recordLifecycle: boolean;
}

export interface RunExit {
  exitCode: number;
  reason: 'Completed' | 'Error' | 'OOMKilled' | 'StartError';
  message?: string;
  finishedAt: number;
}

export class ContainerRun {
  readonly id = `kite://${randomBytes(32).toString('hex')}`;
  readonly startedAt: number;
  /** `postStart` until the hook returned: the container is not reported running before. */
  phase: 'postStart' | 'running' | 'exited' = 'running';
  ready = false;
  started = false;
  exit: RunExit | undefined;
  /** Why the run was ended by the kubelet (the PostStartHookError message), if it was. */
  hookError: string | undefined;
  readonly done: Promise<RunExit>;
  private readonly proc: ContainerProcess;
  private prober: ContainerProber | undefined;
  private readonly hooks = new AbortController();
  private readonly execs = new Set<ContainerProcess>();
  private killing: Promise<void> | undefined;

  constructor(private readonly spec: RunSpec) {
    const c = spec.container;
    if (spec.recordLifecycle) spec.events.normal('Created', `Created container: ${c.name}`);
    this.startedAt = spec.now();
    const program = spec.argv[0];
    const startError = program ? startErrorOf(program, spec.env, spec.workingDir ?? '/', (c.volumeMounts ?? []).map((m) => m.mountPath)) : undefined;
    this.proc = startError
      ? unstartedProcess(startError)
      : spec.spawn(spec.sandbox.command(c, spec.argv, spec.env, spec.workingDir), { stdout: spec.logs.stdout, stderr: spec.logs.stderr });
    this.done = this.proc.exited.then((e) => this.finish(e));
    if (!this.proc.running) return;
    const pid = this.proc.pid;
    // Joined right after the spawn: what the program forks later is in the cgroup with it.
    for (const procs of spec.limits.cgroupProcs) {
      try {
        appendFileSync(procs, `${pid}\n`);
      } catch {
        // the cgroup is gone or not ours: the limit is not enforced for this run
      }
    }
    if (this.proc.startToken) spec.registry.add({ podUID: spec.pod.metadata.uid ?? '', pod: `${spec.pod.metadata.namespace}/${spec.pod.metadata.name}`, container: c.name, pid, start: this.proc.startToken });
    spec.limits.watch(pid, () => {}); // an OOM kill ends the process: finish() asks limits how it ended
    if (spec.recordLifecycle) spec.events.normal('Started', `Started container ${c.name}`);
    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      this.phase = 'postStart';
      void this.runPostStart(postStart);
    } else this.startProbes();
  }

  get running(): boolean {
    return this.phase !== 'exited';
  }

  /** The container's state as its status reports it. */
  state(): ContainerState {
    if (this.phase === 'postStart') return { waiting: { reason: 'ContainerCreating' } };
    if (this.phase === 'running') return { running: { startedAt: formatTime(new Date(this.startedAt)) } };
    return { terminated: this.terminated() };
  }

  terminated(): NonNullable<ContainerState['terminated']> {
    const e = this.exit!;
    return {
      exitCode: e.exitCode,
      reason: e.reason,
      ...(e.message ? { message: e.message } : {}),
      startedAt: formatTime(new Date(this.startedAt)),
      finishedAt: formatTime(new Date(e.finishedAt)),
      containerID: this.id,
    };
  }

  /** How a probe or hook reaches this container. */
  target(): ActionTarget {
    return { podIP: this.spec.podIP, container: this.spec.container, execCommand: (argv) => this.command(argv) };
  }

  /** The process for `argv` run in this container's sandbox and env (exec, exec probes and hooks). */
  command(argv: string[]): SandboxCommand {
    return this.spec.sandbox.command(this.spec.container, imageExecutable(this.spec.program, argv), this.spec.env, this.spec.workingDir);
  }

  /** pods/exec: `argv` in the container; ended with it. */
  async exec(argv: string[], io: ProcessIO): Promise<number> {
    const p = this.spec.spawn(this.command(argv), io);
    this.execs.add(p);
    try {
      const e = await p.exited;
      if (e.startError) io.stderr.write(`${e.startError}\n`);
      return e.exitCode;
    } finally {
      this.execs.delete(p);
    }
  }

  /**
   * Ends the run: the Killing event (`message`, else `Stopping container <c>`), preStop within
   * the grace period, SIGTERM, SIGKILL after the rest of it. `hooks: false` skips the event and
   * preStop (the node is going down). Resolves once nothing of the run is left.
   */
  kill(graceSeconds: number, o: { message?: string; hooks?: boolean } = {}): Promise<void> {
    this.killing ??= this.terminate(graceSeconds, o);
    return this.killing;
  }

  private async terminate(graceSeconds: number, o: { message?: string; hooks?: boolean }): Promise<void> {
    if (this.phase === 'exited') return;
    const c = this.spec.container;
    const hooks = o.hooks !== false;
    this.hooks.abort();
    this.stopProbes();
    if (hooks) this.spec.events.normal('Killing', o.message ?? `Stopping container ${c.name}`);
    let grace = graceSeconds;
    const preStop = c.lifecycle?.preStop;
    if (hooks && preStop && grace > 0) {
      const t0 = this.spec.now();
      const r = await runHook(preStop, this.target(), grace * 1000);
      if (r.result === 'failure') this.spec.events.warning('FailedPreStopHook', 'PreStopHook failed');
      grace -= Math.floor((this.spec.now() - t0) / 1000);
    }
    grace = Math.max(grace, MINIMUM_GRACE_SECONDS);
    this.proc.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), grace * 1000)));
    if ((await Promise.race([this.done, outOfTime])) === 'timeout') this.proc.signal('SIGKILL');
    clearTimeout(timer);
    await this.done;
  }

  private async runPostStart(hook: LifecycleHandler): Promise<void> {
    const c = this.spec.container;
    const r = await runHook(hook, this.target(), undefined, this.hooks.signal);
    if (this.phase !== 'postStart' || this.hooks.signal.aborted) return;
    if (r.result === 'failure') {
      const pod = this.spec.pod;
      // kuberuntime_container.go: the event leaves the handler's output out (it may hold secrets);
      // the container's waiting message (PostStartHookError) carries it, as handlers.go words it.
      this.hookError = hookFailure(hook, c.name, pod, r.output);
      this.spec.events.warning('FailedPostStartHook', 'PostStartHook failed');
      await this.kill(pod.spec.terminationGracePeriodSeconds ?? 30, { message: 'FailedPostStartHook' });
      return;
    }
    this.phase = 'running';
    this.startProbes();
    this.spec.events.changed();
  }

  private startProbes(): void {
    const c = this.spec.container;
    this.prober = startProbes(
      c,
      this.target(),
      {
        onReady: (ready) => {
          if (this.phase !== 'running' || this.ready === ready) return;
          this.ready = ready;
          this.spec.events.changed();
        },
        onStarted: () => {
          if (this.phase !== 'running' || this.started) return;
          this.started = true;
          this.spec.events.changed();
        },
        onFailed: (type) => {
          if (this.phase !== 'running') return;
          const probe = type === 'liveness' ? c.livenessProbe : c.startupProbe;
          const grace = this.spec.pod.metadata.deletionGracePeriodSeconds ?? probe?.terminationGracePeriodSeconds ?? this.spec.pod.spec.terminationGracePeriodSeconds ?? 30;
          void this.kill(grace, { message: `Container ${c.name} failed ${type} probe, will be restarted` });
        },
        event: (reason, message) => this.spec.events.warning(reason, message),
      },
      this.spec.timers,
    );
  }

  private stopProbes(): void {
    this.prober?.stop();
    this.prober = undefined;
    this.ready = false;
  }

  private async finish(e: { exitCode: number; startError?: string }): Promise<RunExit> {
    const s = this.spec;
    this.phase = 'exited';
    this.stopProbes();
    for (const x of this.execs) x.signal('SIGKILL');
    const oom = s.limits.oomKilled();
    this.exit = {
      exitCode: oom ? 137 : e.exitCode,
      reason: e.startError ? 'StartError' : oom ? 'OOMKilled' : e.exitCode === 0 ? 'Completed' : 'Error',
      ...(e.startError ? { message: e.startError } : {}),
      finishedAt: s.now(),
    };
    if (e.startError) s.events.warning('Failed', `Error: ${e.startError}`);
    s.registry.remove(this.proc.pid);
    await Promise.all([s.logs.close(), s.limits.release()]).catch(() => {});
    s.events.changed();
    return this.exit;
  }
}

/** A hook's action; hooks have no timeout of their own (postStart), preStop's is the grace period. */
function runHook(hook: LifecycleHandler, target: ActionTarget, timeoutMs: number | undefined, signal?: AbortSignal) {
  return runAction(hook, target, timeoutMs ?? 2 ** 31 - 1, signal);
}

/**
 * handlers.go: how a failed hook is worded in the container's status (`Exec lifecycle hook
 * ([cmd]) for Container "c" in Pod "p_ns(uid)" failed - error: ...`); the error is the action's
 * output as runAction reports it.
 */
function hookFailure(hook: LifecycleHandler, container: string, pod: Pod, output: string): string {
  const who = `for Container "${container}" in Pod "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})"`;
  if (hook.exec) return `Exec lifecycle hook ([${(hook.exec.command ?? []).join(' ')}]) ${who} failed - error: ${output}`;
  if (hook.httpGet) return `HTTP lifecycle hook (${hook.httpGet.path ?? ''}) ${who} failed - error: ${output}`;
  return `${hook.sleep ? 'Sleep' : 'TCP'} lifecycle hook ${who} failed - error: ${output}`;
}
