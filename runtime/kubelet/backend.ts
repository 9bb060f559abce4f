/**
 * What runs a node's pods. The kubelet core (./kubelet.ts) owns everything every kubelet does —
 * node registration and heartbeats, the pods bound to the node, one worker per pod, pod IPs,
 * the status it posts — and asks a backend only to make containers run and to say how they
 * are. The simulated backend runs nothing (./backends/simulated.ts); the process backend
 * (issue 11) runs each container as a local process with its probes, hooks, logs and exec.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Pod } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import type { EventRecorder } from '../client/events.ts';
import type { PodContainerStatuses, PodPlacement } from './status.ts';

/** What the core gives its backend. */
export interface KubeletHost {
  readonly nodeName: string;
  /** For what a pod refers to (ConfigMaps, Secrets, Services for the environment). */
  readonly client: ApiClient;
  /** Events about pods, from `kubelet` on this node (Pulled, Started, Unhealthy, BackOff, ...). */
  readonly recorder: EventRecorder;
  /** Whether container lifecycle events (Pulled, Created, Started) are recorded (off in benchmarks). */
  readonly recordContainerEvents: boolean;
  /**
   * Tells the core that a pod's containers changed on their own (a process exited, a probe
   * result changed, a back-off expired): the pod's worker syncs it again, and posts its status
   * if it changed. `podKey` is `namespace/name`.
   */
  podChanged(podKey: string): void;
}

export interface PodSyncContext extends PodPlacement {
  /** The pod's start time as reported (status.startTime, or now on its first sync). */
  startTime: string;
}

/** pods/log options (kubectl logs). */
export interface ContainerLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** A pods/exec session's streams (kubectl exec; stdin absent unless `-i`). */
export interface ExecStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  /** Terminal size changes (`-t`), the first one before the command starts. */
  onResize?(listener: (size: { width: number; height: number }) => void): void;
}

/** Why a stream cannot be served (`container web is not running`): the kubelet answers with it. */
export class StreamRefused extends Error {}

export interface KubeletBackend {
  /** The node comes up (first start, or back from `kite node stop`), before any pod is synced. */
  start(): Promise<void>;
  /** The node goes down (runtime shutdown, or `kite node stop`): nothing of its pods keeps running. */
  stop(): Promise<void>;
  /**
   * Moves the pod's containers towards its spec — start what should run, restart what exited as
   * its restartPolicy says — and reports their states. Called by the pod's worker on every
   * change of the pod and after `podChanged`, never twice at once for one pod; must be
   * idempotent (a pod already running is reported, not started again).
   */
  syncPod(pod: Pod, ctx: PodSyncContext): Promise<PodContainerStatuses>;
  /**
   * Stops the pod's containers (preStop hooks, then SIGTERM, then SIGKILL after
   * `gracePeriodSeconds`) and frees what it holds; resolves once nothing of the pod runs. Also
   * called for a pod that vanished (deleted with grace 0), with grace 0.
   */
  killPod(pod: Pod, gracePeriodSeconds: number): Promise<void>;
  /** pods/log: a container's output. Backends without processes have none. */
  logs?(pod: Pod, opts: ContainerLogOptions): Promise<Readable | string>;
  /**
   * pods/exec: runs `command` in the container's sandbox and env; resolves with its exit code.
   * Throws StreamRefused when it cannot run (no such container, not running).
   */
  exec?(pod: Pod, container: string, command: string[], streams: ExecStreams): Promise<{ exitCode: number }>;
  /**
   * pods/portforward: a connection to the pod's `port`, as the pod's own network sees it.
   * Rejects with the runtime's error text (`dial tcp 127.244.0.5:8080: connect: connection
   * refused`); throws StreamRefused when the pod has no running sandbox.
   */
  portForward?(pod: Pod, port: number): Promise<Duplex>;
}

export type KubeletBackendFactory = (host: KubeletHost) => KubeletBackend;
