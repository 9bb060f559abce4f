/**
 * One pod's containers on this node (kuberuntime_manager.go SyncPod / computePodActions, as
 * data and one step per sync): the sandbox first; init containers in order, each to a
 * successful end before the next (sidecars — restartPolicy Always — only to `started`, then
 * kept running); then the containers, each started in spec order, a pending postStart hook
 * holding back the ones after it. An exited container restarts as restartPolicy says, behind the
 * CrashLoopBackOff back-off; an unmapped image backs off too (ImagePullBackOff). What waits for
 * time (a back-off) wakes the pod's worker through `changed`.
 */
import { Writable } from 'node:stream';
import type { Container, Pod } from '../../../../lib/api/model.ts';
import type { EventRecorder } from '../../../client/events.ts';
import type { ContainerLogOptions, ExecStreams, KubeletHost, PodSyncContext } from '../../backend.ts';
import { StreamRefused } from '../../backend.ts';
import type { PodContainerStatuses } from '../../status.ts';
import { formatGoDuration } from '../../../../lib/api/time.ts';
import type { Backoff } from './backoff.ts';
import type { SpawnProcess } from './container-process.ts';
import { ContainerRun } from './container-run.ts';
import { ContainerSlot, notYetStarted, type ContainerKind } from './container-slot.ts';
import { containerEnv, type EnvSources } from './env.ts';
import type { HostFeatures } from './host-features.ts';
import { containerArgv, type ImageCatalog } from './images.ts';
import { containerLimits } from './limits.ts';
import type { ContainerLogStore } from './logs.ts';
import type { ProcessRegistry } from './process-registry.ts';
import type { ProberTimers } from './prober.ts';
import type { NodeDnsSettings } from './pod-dns.ts';
import { preparePodSandbox, type PodSandbox, type VolumeSources } from './sandbox.ts';

/** What every pod of a node shares. */
export interface NodeRuntime {
  host: KubeletHost;
  catalog: ImageCatalog;
  features: HostFeatures;
  logs: ContainerLogStore;
  registry: ProcessRegistry;
  crashBackoff: Backoff;
  pullBackoff: Backoff;
  /** Directories: pod sandboxes, cgroups. */
  sandboxRoot: string;
  limitsRoot: string;
  spawn: SpawnProcess;
  now: () => number;
  timers?: ProberTimers;
  sources: EnvSources & VolumeSources;
  /** The kubelet's --cluster-dns / --cluster-domain as they are now (cluster DNS may be off). */
  dns?: () => Promise<NodeDnsSettings>;
}

type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export class PodRuntime {
  private sandbox: PodSandbox | undefined;
  private readonly slots = new Map<string, ContainerSlot>();
  private ctx: PodSyncContext | undefined;
  private wake: { at: number; timer: NodeJS.Timeout } | undefined;
  private terminating = false;

  constructor(
    private pod: Pod,
    private readonly node: NodeRuntime,
  ) {}

  private get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  private get podRef(): string {
    const m = this.pod.metadata;
    return `${m.name}_${m.namespace}(${m.uid})`;
  }

  async sync(pod: Pod, ctx: PodSyncContext): Promise<PodContainerStatuses> {
    this.pod = pod;
    this.ctx = ctx;
    if (!this.terminating && (await this.ensureSandbox())) await this.startWhatShouldRun();
    return this.statuses();
  }

  /** Stops every container (in parallel, each with the full grace) and frees the pod's sandbox and logs. */
  async kill(graceSeconds: number): Promise<void> {
    await this.stop(graceSeconds, true);
    await Promise.all([this.sandbox?.remove(), this.node.logs.removePod(this.pod)]);
  }

  /** Stops every container; `hooks: false` is the node going down (no events, no preStop). */
  async stop(graceSeconds: number, hooks: boolean): Promise<void> {
    this.terminating = true;
    if (this.wake) clearTimeout(this.wake.timer);
    this.wake = undefined;
    await Promise.all([...this.slots.values()].map((s) => s.run?.kill(graceSeconds, { hooks })));
  }

  /** The running run of a container, for exec. */
  exec(container: string, command: string[], streams: ExecStreams): Promise<{ exitCode: number }> {
    const run = this.slots.get(container)?.run;
    if (!run?.running) throw new StreamRefused(`container ${container} is not running`);
    const io = { ...(streams.stdin ? { stdin: streams.stdin } : {}), stdout: streams.stdout ?? discard(), stderr: streams.stderr ?? discard() };
    return run.exec(command, io).then((exitCode) => ({ exitCode }));
  }

  /** Which run of a container pods/log reads: the current one, or the one before (`previous`). */
  logRun(container: string, opts: ContainerLogOptions): number {
    const slot = this.slots.get(container);
    if (!slot?.run && !slot?.restartCount) {
      throw new StreamRefused(`container "${container}" in pod "${this.pod.metadata.name}" is waiting to start: ${slot?.waiting?.reason ?? 'ContainerCreating'}`);
    }
    const runs = slot.restartCount + (slot.run ? 0 : -1);
    if (opts.previous && runs < 1) throw new StreamRefused(`previous terminated container "${container}" in pod "${this.pod.metadata.name}" not found`);
    // The store finds the run before this one itself for `previous`.
    return runs;
  }

  /** Rewrites ConfigMap and Secret volumes whose objects changed since (the kubelet's periodic sync does the same). */
  async refreshVolumes(): Promise<void> {
    if (this.sandbox && !this.terminating) await this.sandbox.refresh(this.node.sources);
  }

  private async ensureSandbox(): Promise<boolean> {
    if (this.sandbox) {
      await this.sandbox.refresh(this.node.sources);
      return true;
    }
    const dns = this.node.dns ? { dns: await this.node.dns() } : {};
    const setup = await preparePodSandbox(this.node.sandboxRoot, this.pod, this.node.features, this.node.sources, dns);
    if (setup.ok) {
      this.sandbox = setup.sandbox;
      for (const w of setup.dnsWarnings) this.node.host.recorder.warning(this.pod, w.reason, w.message);
      for (const note of setup.sandbox.notes) this.node.host.recorder.normal(this.pod, 'SandboxNote', note);
      return true;
    }
    this.node.host.recorder.warning(this.pod, 'FailedMount', `MountVolume.SetUp failed for volume "${setup.volume}" : ${setup.message}`);
    this.wakeIn(this.node.crashBackoff.current(''));
    return false;
  }

  private async startWhatShouldRun(): Promise<void> {
    const spec = this.pod.spec;
    const policy: RestartPolicy = spec.restartPolicy ?? 'Always';
    for (const c of spec.initContainers ?? []) {
      const sidecar = c.restartPolicy === 'Always';
      const slot = this.slot(c, sidecar ? 'sidecar' : 'init');
      if (sidecar) {
        await this.ensureRunning(slot, 'Always');
        if (!slot.run?.started) return;
        continue;
      }
      if (slot.succeeded()) continue;
      // An init container is retried after a failure unless the pod never restarts anything.
      await this.ensureRunning(slot, policy === 'Never' ? 'Never' : 'OnFailure');
      if (!slot.succeeded()) return;
    }
    for (const c of spec.containers) {
      const slot = this.slot(c, 'regular');
      await this.ensureRunning(slot, policy);
      if (slot.run?.phase === 'postStart') return;
    }
  }

  private slot(c: Container, kind: ContainerKind): ContainerSlot {
    let slot = this.slots.get(c.name);
    if (!slot) {
      const before = (kind === 'regular' ? this.pod.status?.containerStatuses : this.pod.status?.initContainerStatuses)?.find((s) => s.name === c.name);
      slot = new ContainerSlot(c, kind, before, this.node.now());
      this.slots.set(c.name, slot);
    }
    return slot;
  }

  /** Starts the container unless it runs, or ended and is not to restart (yet). */
  private async ensureRunning(slot: ContainerSlot, policy: RestartPolicy): Promise<void> {
    const run = slot.run;
    if (run?.running || this.terminating) return;
    if (run?.exit) {
      if (policy === 'Never' || (policy === 'OnFailure' && run.exit.exitCode === 0)) {
        slot.waiting = undefined;
        return;
      }
      const key = this.backoffKey(slot);
      const wait = this.node.crashBackoff.remaining(key, run.exit.finishedAt);
      if (wait > 0) {
        const c = slot.name;
        slot.waiting = {
          reason: 'CrashLoopBackOff',
          message: `back-off ${formatGoDuration(this.node.crashBackoff.current(key))} restarting failed container=${c} pod=${this.podRef}`,
        };
        this.warning(slot, 'BackOff', `Back-off restarting failed container ${c} in pod ${this.podRef}`);
        this.wakeIn(wait);
        return;
      }
      this.node.crashBackoff.next(key, run.exit.finishedAt);
    }
    await this.start(slot);
  }

  /** startContainer: the image, the environment, the argv, then the process. */
  private async start(slot: ContainerSlot): Promise<void> {
    const c = slot.container;
    const image = c.image ?? '';
    const lookup = this.node.catalog.resolve(image);
    if (!lookup.ok) return this.imageFailed(slot, lookup);
    slot.pullFailedAt = undefined;
    const ctx = this.ctx!;
    const env = containerEnv(c, { pod: this.pod, podIP: ctx.podIP, hostIP: ctx.hostIP, nodeName: this.node.host.nodeName, sources: this.node.sources, imageEnv: lookup.program.env });
    if (!env.ok) return this.cannotStart(slot, 'CreateContainerConfigError', env.message);
    for (const w of env.warnings) this.warning(slot, w.reason, w.message);
    const argv = containerArgv(lookup.program, c, env.env);
    if (argv.length === 0) return this.cannotStart(slot, 'RunContainerError', `no command specified: image ${image} (${lookup.entry}) has no entrypoint and the container no command`);
    if (this.node.host.recordContainerEvents) this.normal(slot, 'Pulled', `Container image "${image}" already present on machine`);
    const restartCount = slot.run ? slot.restartCount + 1 : slot.restartCount;
    const limits = await containerLimits(this.node.features, this.pod, c, { root: this.node.limitsRoot });
    const workingDir = c.workingDir ?? lookup.program.workingDir;
    slot.replaceRun(
      new ContainerRun({
        pod: this.pod,
        container: c,
        argv,
        program: lookup.program,
        env: env.env,
        ...(workingDir ? { workingDir } : {}),
        podIP: ctx.podIP,
        sandbox: this.sandbox!,
        logs: this.node.logs.open(this.pod, c.name, restartCount),
        limits,
        registry: this.node.registry,
        spawn: this.node.spawn,
        now: this.node.now,
        ...(this.node.timers ? { timers: this.node.timers } : {}),
        recordLifecycle: this.node.host.recordContainerEvents,
        events: {
          normal: (reason, message) => this.normal(slot, reason, message),
          warning: (reason, message) => this.warning(slot, reason, message),
          changed: () => this.changed(slot),
        },
      }),
    );
    // The pod was stopped while this container was being set up: it stops with the rest.
    if (this.terminating) await slot.run?.kill(0, { hooks: false });
  }

  /** ErrImagePull, then ImagePullBackOff until the pull back-off lets it try again (image_manager.go). */
  private imageFailed(slot: ContainerSlot, lookup: { reason: string; message: string; hint: string }): void {
    const image = slot.container.image ?? '';
    const key = `${this.pod.metadata.uid}/image/${image}`;
    const backoff = this.node.pullBackoff;
    const wait = slot.pullFailedAt === undefined ? 0 : backoff.remaining(key, slot.pullFailedAt);
    if (wait > 0) {
      slot.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      this.normal(slot, 'BackOff', `Back-off pulling image "${image}"`);
      this.warning(slot, 'Failed', 'Error: ImagePullBackOff');
      this.wakeIn(wait);
      return;
    }
    const now = this.node.now();
    backoff.next(key, now);
    slot.pullFailedAt = now;
    slot.waiting = { reason: lookup.reason, message: lookup.message };
    this.warning(slot, 'Failed', `${lookup.message}\n${lookup.hint}`);
    this.warning(slot, 'Failed', `Error: ${lookup.reason}`);
    // The next sync shows the back-off, as the kubelet's pod worker retrying the failed sync does.
    this.wakeIn(Math.ceil(backoff.current(key) / 2));
  }

  /** A container that cannot be created (its config, its command): waiting with the reason, retried later. */
  private cannotStart(slot: ContainerSlot, reason: string, message: string): void {
    slot.waiting = { reason, message };
    this.warning(slot, 'Failed', `Error: ${message}`);
    this.wakeIn(this.node.crashBackoff.current(this.backoffKey(slot)));
  }

  private changed(slot: ContainerSlot): void {
    const run = slot.run;
    if (run?.exit && run.hookError) slot.waiting = { reason: 'PostStartHookError', message: run.hookError };
    if (!this.terminating) this.node.host.podChanged(this.key);
  }

  private backoffKey(slot: ContainerSlot): string {
    return `${this.pod.metadata.uid}/${slot.name}`;
  }

  /** Syncs the pod again in `ms` (the earliest of the wakes asked for). */
  private wakeIn(ms: number): void {
    const at = this.node.now() + ms;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = undefined;
      if (!this.terminating) this.node.host.podChanged(this.key);
    }, ms);
    timer.unref();
    this.wake = { at, timer };
  }

  private statuses(): PodContainerStatuses {
    const spec = this.pod.spec;
    const status = (c: Container, pending: 'ContainerCreating' | 'PodInitializing') => this.slots.get(c.name)?.status() ?? notYetStarted(c, pending);
    const pending = spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
    return {
      initContainerStatuses: (spec.initContainers ?? []).map((c) => status(c, 'PodInitializing')),
      containerStatuses: spec.containers.map((c) => status(c, pending)),
    };
  }

  private normal(slot: ContainerSlot, reason: string, message: string): void {
    this.recorder.normal(this.pod, reason, message, fieldPath(slot));
  }

  private warning(slot: ContainerSlot, reason: string, message: string): void {
    this.recorder.warning(this.pod, reason, message, fieldPath(slot));
  }

  private get recorder(): EventRecorder {
    return this.node.host.recorder;
  }
}

/** The part of the pod a container event is about (`spec.containers{web}`). */
function fieldPath(slot: ContainerSlot): string {
  return `spec.${slot.kind === 'regular' ? 'containers' : 'initContainers'}{${slot.name}}`;
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
