/**
 * What every kubelet does for its Node, whatever runs its pods: register the Node object
 * (labels, capacity, conditions, nodeInfo, addresses), renew its Lease in `kube-node-lease`
 * (the heartbeat the node lifecycle controller watches) and post the node status — when it
 * changed, and otherwise every `nodeStatusReportIntervalMs` (nodeStatusReportFrequency,
 * 5 min), as the real kubelet does since node leases exist.
 */
import { arch, release } from 'node:os';
import { parseQuantity } from '../../lib/api/quantity.ts';
import { hasStatusCode } from '../client/errors.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { Node, NodeCondition, NodeConditionType, NodeStatus } from '../../lib/api/model.ts';
import type { ConditionStatus } from '../../lib/api/kinds/status.ts';
import type { ApiClient } from '../client/client.ts';
import { EventRecorder } from '../client/events.ts';
import { jsonEqual } from '../../lib/api/equal.ts';
import { formatMicroTime, formatTime } from '../../lib/api/time.ts';

export const KUBELET_VERSION = 'v1.32.4';
export const CONTAINER_RUNTIME_VERSION = 'kite://0.1.0';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** `kite node stop NAME` sets this annotation to "true" on the Node; removing it starts the node again. */
export const STOPPED_ANNOTATION = 'kite.dev/stopped';
export const NODE_HOST_IP = '127.0.0.1';

export interface NodeIdentity {
  name: string;
  /** Quantities, e.g. `2` / `1500m` and `4Gi`. */
  cpu: string;
  memory: string;
  /** allocatable/capacity pods (110). */
  pods?: number;
  ephemeralStorage?: string;
  labels?: Record<string, string>;
  /** The node's pod range, e.g. `127.201.1.0/24` (spec.podCIDR). */
  podCIDR?: string;
  osImage?: string;
  /** Where the kubelet server listens (status.daemonEndpoints.kubeletEndpoint.Port; 10250 when it has none). */
  kubeletPort?: number;
}

export interface HeartbeatOptions {
  /** Lease renewal interval (kubelet: 0.25 × leaseDuration = 10 s). */
  leaseRenewIntervalMs?: number;
  /** spec.leaseDurationSeconds of the Lease (40). */
  leaseDurationSeconds?: number;
  /** How often the node status is compared with what it should be (nodeStatusUpdateFrequency, 10 s). */
  nodeStatusUpdateIntervalMs?: number;
  /** An unchanged status is still posted this often (nodeStatusReportFrequency, 5 min). */
  nodeStatusReportIntervalMs?: number;
}

export function goArch(a: string = arch()): string {
  switch (a) {
    case 'x64':
      return 'amd64';
    case 'ia32':
      return '386';
    case 'ppc64':
      return 'ppc64le';
    default:
      return a;
  }
}


export function nodeLabels(id: NodeIdentity): Record<string, string> {
  const a = goArch();
  return {
    'beta.kubernetes.io/arch': a,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': a,
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
    ...id.labels,
  };
}

function resources(id: NodeIdentity): Record<string, string> {
  return {
    cpu: id.cpu,
    'ephemeral-storage': id.ephemeralStorage ?? '100Gi',
    memory: id.memory,
    pods: String(id.pods ?? 110),
  };
}

const CONDITIONS: ReadonlyArray<{ type: NodeConditionType; ok: ConditionStatus; reason: string; message: string }> = [
  { type: 'MemoryPressure', ok: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', ok: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', ok: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', ok: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/**
 * The status a healthy kubelet posts: `previous` (the Node as stored) keeps each condition's
 * lastTransitionTime when its status is unchanged.
 */
export function healthyNodeStatus(id: NodeIdentity, now: Date, previous?: Node): NodeStatus {
  const ts = formatTime(now);
  const prev = previous?.status?.conditions ?? [];
  const conditions = CONDITIONS.map((c): NodeCondition => {
    const old = prev.find((p) => p.type === c.type);
    return {
      type: c.type,
      status: c.ok,
      lastHeartbeatTime: ts,
      lastTransitionTime: old && old.status === c.ok ? old.lastTransitionTime : ts,
      reason: c.reason,
      message: c.message,
    };
  });
  return {
    ...(previous?.status ?? {}),
    capacity: resources(id),
    allocatable: resources(id),
    conditions,
    addresses: [
      { type: 'InternalIP', address: NODE_HOST_IP },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: previous?.status?.nodeInfo?.machineID ?? hex(id.name, 32),
      systemUUID: previous?.status?.nodeInfo?.systemUUID ?? uuidOf(id.name),
      bootID: previous?.status?.nodeInfo?.bootID ?? uuidOf(`${id.name}/${process.pid}/${Date.now()}`),
      kernelVersion: release(),
      osImage: id.osImage ?? 'kite simulated node',
      containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
      kubeletVersion: KUBELET_VERSION,
      // Deprecated and no longer set by the kubelet since 1.31 (DisableNodeKubeProxyVersion); Go still serializes it.
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: goArch(),
    },
  };
}

/** Whether the stored status differs from the desired one in anything but heartbeat times. */
export function nodeStatusChanged(current: Node | undefined, desired: NodeStatus): boolean {
  if (!current) return true;
  const quantities = (m: Record<string, string> | undefined) =>
    Object.fromEntries(
      Object.entries(m ?? {}).map(([k, v]) => {
        try {
          return [k, parseQuantity(String(v)).milliValue().toString()];
        } catch {
          return [k, String(v)];
        }
      }),
    );
  const comparable = (s: NodeStatus | undefined) => ({
    ...s,
    capacity: quantities(s?.capacity),
    allocatable: quantities(s?.allocatable),
    conditions: (s?.conditions ?? []).map(({ lastHeartbeatTime: _h, ...c }) => c),
    nodeInfo: { ...s?.nodeInfo, bootID: undefined },
  });
  return !jsonEqual(comparable(current.status), comparable(desired));
}

function hex(seed: string, len: number): string {
  let h1 = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < len; round++) {
    for (const ch of `${round}:${seed}`) h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return out.slice(0, len);
}

function uuidOf(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Creates a namespace if it does not exist yet (kube-node-lease). */
export async function ensureNamespace(client: ApiClient, name: string): Promise<void> {
  if (client.get('namespaces', undefined, name)) return;
  try {
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (e) {
    if (!hasStatusCode(e, 409)) throw e;
  }
}

/** A reference the events about a Node use: kubelet and node controller set uid = node name (kubectl describe node looks for it). */
export function nodeEventRef(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
}

/**
 * Node registration and heartbeats, shared by every kubelet. `paused` (a stopped node) stops
 * lease renewals and status posts until `resume()`.
 */
export class NodeHeartbeat {
  private leaseTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private lastReport = 0;
  private paused = false;
  private stopped = false;
  private writing: Promise<unknown> = Promise.resolve();
  readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    readonly id: NodeIdentity,
    private readonly opts: HeartbeatOptions = {},
  ) {
    this.recorder = new EventRecorder(client, 'kubelet', id.name);
  }

  get name(): string {
    return this.id.name;
  }

  /**
   * Registers (or re-registers) the Node and its Lease, then starts the heartbeat timers. A
   * node paused before start (stopped, and already registered) is left as it is.
   */
  async start(): Promise<Node> {
    const existing = this.client.get('nodes', undefined, this.name);
    const node = this.paused && existing ? existing : await this.register();
    await ensureNamespace(this.client, NODE_LEASE_NAMESPACE);
    if (!this.paused) {
      await this.renewLease();
      this.recorder.normal(nodeEventRef(this.name), 'Starting', 'Starting kubelet.');
      this.recorder.normal(nodeEventRef(this.name), 'NodeReady', `Node ${this.name} status is now: NodeReady`);
    }
    this.leaseTimer = setInterval(() => this.tickLease(), this.opts.leaseRenewIntervalMs ?? 10_000);
    this.leaseTimer.unref?.();
    this.statusTimer = setInterval(() => this.tickStatus(), this.opts.nodeStatusUpdateIntervalMs ?? 10_000);
    this.statusTimer.unref?.();
    return node;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    await this.writing.catch(() => {});
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  /** Back from a stop: renew the lease and post the status now. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.recorder.normal(nodeEventRef(this.name), 'NodeReady', `Node ${this.name} status is now: NodeReady`);
    this.tickLease();
    this.syncStatus(true);
  }

  /** Posts the status soon if it differs from the healthy one (e.g. the controller marked it Unknown). */
  syncStatus(force = false): void {
    if (this.paused || this.stopped) return;
    this.serialize(() => this.postStatus(force));
  }

  private tickLease(): void {
    if (this.paused || this.stopped) return;
    // Checked again when its turn comes: a renewal queued before a pause must not go out after it.
    this.serialize(() => (this.paused || this.stopped ? Promise.resolve() : this.renewLease()));
  }

  /** Resolves once the writes queued so far are done (a paused node then writes nothing more). */
  idle(): Promise<void> {
    return this.writing.then(() => {});
  }

  private tickStatus(): void {
    this.syncStatus(false);
  }

  private serialize(op: () => Promise<unknown>): void {
    this.writing = this.writing.then(op).catch((e) => {
      if (!this.stopped) console.error(`kubelet ${this.name}: heartbeat:`, e);
    });
  }

  private async register(): Promise<Node> {
    const now = this.client.now();
    const existing = this.client.get('nodes', undefined, this.name);
    if (!existing) {
      const body: Node = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: this.name,
          labels: nodeLabels(this.id),
          annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
        },
        spec: this.id.podCIDR ? { podCIDR: this.id.podCIDR, podCIDRs: [this.id.podCIDR] } : {},
        status: healthyNodeStatus(this.id, now),
      };
      try {
        const created = await this.client.create('nodes', undefined, body);
        this.lastReport = Date.now();
        // A server that drops status on create gets it through the status subresource.
        if (!created.status?.conditions) return await this.client.updateStatus('nodes', { ...created, status: body.status });
        return created;
      } catch (e) {
        if (!hasStatusCode(e, 409)) throw e;
      }
    }
    // Already registered (a restart): make sure the default labels are there, then post the status.
    for (let attempt = 0; ; attempt++) {
      const cur = this.client.get('nodes', undefined, this.name)!;
      const labels = { ...nodeLabels(this.id), ...cur.metadata.labels };
      try {
        const updated = JSON.stringify(labels) === JSON.stringify(cur.metadata.labels ?? {}) ? cur : await this.client.update('nodes', { ...cur, metadata: { ...cur.metadata, labels } });
        const status = await this.client.updateStatus('nodes', { ...updated, status: healthyNodeStatus(this.id, now, updated) });
        this.lastReport = Date.now();
        return status;
      } catch (e) {
        if (hasStatusCode(e, 409) && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async renewLease(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.stopped) return;
      const now = this.client.now();
      const cur = this.client.get('leases', NODE_LEASE_NAMESPACE, this.name);
      const node = this.client.get('nodes', undefined, this.name);
      const spec = { holderIdentity: this.name, leaseDurationSeconds: this.opts.leaseDurationSeconds ?? 40, renewTime: formatMicroTime(now) };
      try {
        if (!cur) {
          await this.client.create('leases', NODE_LEASE_NAMESPACE, {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name: this.name,
              namespace: NODE_LEASE_NAMESPACE,
              ...(node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: node.metadata.uid ?? '' }] } : {}),
            },
            spec,
          });
        } else {
          await this.client.update('leases', { ...cur, spec: { ...cur.spec, ...spec } });
        }
        return;
      } catch (e) {
        if (hasStatusCode(e, 409, 404)) continue;
        throw e;
      }
    }
  }

  private async postStatus(force: boolean): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.stopped || this.paused) return;
      const cur = this.client.get('nodes', undefined, this.name);
      if (!cur) {
        // Deleted while running: register again, as the kubelet does.
        await this.register();
        return;
      }
      const desired = healthyNodeStatus(this.id, this.client.now(), cur);
      const due = Date.now() - this.lastReport >= (this.opts.nodeStatusReportIntervalMs ?? 5 * 60_000);
      if (!force && !due && !nodeStatusChanged(cur, desired)) return;
      try {
        await this.client.updateStatus('nodes', { ...cur, status: desired });
        this.lastReport = Date.now();
        return;
      } catch (e) {
        if (hasStatusCode(e, 409)) continue;
        throw e;
      }
    }
  }
}

/** What `kite node stop|start NAME` does: set or remove the `kite.dev/stopped` annotation. */
export async function setNodeStopped(client: ApiClient, name: string, stopped: boolean): Promise<Node> {
  return client.patch('nodes', undefined, name, 'merge', { metadata: { annotations: { [STOPPED_ANNOTATION]: stopped ? 'true' : null } } });
}
