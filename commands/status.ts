/**
 * `kite status [-o json]`: is the control plane of a state dir running, where, since when, with
 * which nodes. Exit 0 when it runs and answers, 1 when it does not (scripts branch on that).
 */
import { humanDuration } from '../lib/api/pod-status.ts';
import { parseQuantity, type Quantity } from '../lib/api/quantity.ts';
import type { KubeClient } from '../lib/kube/index.ts';
import type { KubeObject } from '../lib/api/meta.ts';
import { DESCRIBE_TABWRITER, goJson, podRequests, TABLE_TABWRITER, tabwrite } from '../lib/kubectl/index.ts';
import { arr, obj, quantity, str } from '../lib/kubectl/describe/fields.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { formatHostFeatures, hostFeatureLines } from './host-features.ts';
import { UserError, type Io } from './output.ts';
import { STOPPED_ANNOTATION } from './node.ts';
import { kubeconfigPath, liveRuntime, shownPath as shown, stateDirOf, type RuntimeRecord } from './state-dir.ts';
import { connect } from './target.ts';

export interface StatusOptions {
  stateDir?: string | undefined;
  output?: string | undefined;
}

/** What the runtime's nodes look like (capacity and what the pods on them ask for). */
export interface NodeSummary {
  name: string;
  /** `Ready`, `NotReady`, `Unknown`, or `Stopped` (kite node stop). */
  status: string;
  cpu: { requested: string; allocatable: string };
  memory: { requested: string; allocatable: string };
  pods: { running: number; capacity: string };
}

export interface StatusReport {
  running: boolean;
  stateDir: string;
  /** Why it is not running (absent when it is). */
  reason?: string;
  pid?: number;
  url?: string;
  startedAt?: string;
  uptimeSeconds?: number;
  kubeconfig?: string;
  kubernetesVersion?: string;
  simulate?: boolean;
  nodes?: NodeSummary[];
  /** What this machine gives pods run as processes (absent for simulated nodes). */
  hostFeatures?: string[];
  /** Where cluster DNS answers, or why it is off (as the runtime recorded it at start). */
  clusterDns?: string;
  /** How the service proxy forwards Service traffic, and why (as the runtime recorded it at start). */
  proxy?: { mode: string; reason: string };
}

const NODES = { apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false } as const;
const PODS = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;

function sum(qs: Quantity[]): Quantity {
  return qs.reduce((a, b) => a.add(b), parseQuantity('0'));
}

function nodeStatus(node: KubeObject): string {
  if (node.metadata.annotations?.[STOPPED_ANNOTATION] === 'true') return 'Stopped';
  const ready = arr(obj(node.status).conditions).find((c) => c.type === 'Ready');
  if (!ready) return 'Unknown';
  return ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
}

async function nodeSummaries(client: KubeClient): Promise<NodeSummary[]> {
  const [nodes, pods] = await Promise.all([
    client.listAll(NODES),
    client.listAll(PODS, { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }),
  ]);
  return nodes.items.map((node) => {
    const name = str(node.metadata.name);
    const mine = pods.items.filter((p) => str(obj(p.spec).nodeName) === name);
    const requests = mine.map(podRequests);
    const allocatable = obj(obj(node.status).allocatable);
    const capacity = obj(obj(node.status).capacity);
    const alloc = (r: string) => (quantity(allocatable[r] ?? capacity[r]) ?? parseQuantity('0')).toString();
    const requested = (r: string) => sum(requests.map((l) => l.get(r)).filter((q): q is Quantity => q !== undefined)).toString();
    return {
      name,
      status: nodeStatus(node),
      cpu: { requested: requested('cpu'), allocatable: alloc('cpu') },
      memory: { requested: requested('memory'), allocatable: alloc('memory') },
      pods: { running: mine.length, capacity: alloc('pods') },
    };
  });
}

/** The report for a state dir: running (and answering) or not, and why. */
export async function statusReport(stateDir: string, note?: (text: string) => void): Promise<StatusReport> {
  const record: RuntimeRecord | undefined = await liveRuntime(stateDir, note);
  if (!record) return { running: false, stateDir, reason: 'not running' };
  const base: StatusReport = {
    running: false,
    stateDir,
    pid: record.pid,
    url: record.url,
    startedAt: record.startedAt,
    kubeconfig: record.kubeconfig || kubeconfigPath(stateDir),
    simulate: record.simulate,
    ...(record.proxy ? { proxy: record.proxy } : {}),
  };
  let client: KubeClient;
  try {
    client = connect({ stateDir });
  } catch (e) {
    return { ...base, reason: (e as Error).message };
  }
  try {
    const [version, nodes, hostFeatures] = await Promise.all([client.version(), nodeSummaries(client), hostFeatureLines(record.simulate)]);
    const started = Date.parse(record.startedAt);
    return {
      ...base,
      running: true,
      ...(Number.isNaN(started) ? {} : { uptimeSeconds: Math.max(0, Math.floor((Date.now() - started) / 1000)) }),
      kubernetesVersion: version.gitVersion,
      nodes,
      ...(hostFeatures ? { hostFeatures } : {}),
      ...(record.clusterDns ? { clusterDns: record.clusterDns } : {}),
    };
  } catch (e) {
    return { ...base, reason: `the API server does not answer: ${(e as Error).message}` };
  } finally {
    client.close();
  }
}

/** `kite status`: 0 when running, 1 when not. */
export async function statusCommand(o: StatusOptions, io: Io): Promise<number> {
  if (o.output !== undefined && o.output !== 'json') throw new UserError(`status: unknown output format "${o.output}" (supported: json)`);
  const stateDir = stateDirOf(o.stateDir);
  const report = await statusReport(stateDir, (t) => io.err(t));
  if (o.output === 'json') {
    io.out(goJson(report));
    return report.running ? EXIT_OK : EXIT_USER_ERROR;
  }
  if (!report.running) {
    if (report.pid === undefined) io.err(`kite control plane is not running (state dir ${shown(stateDir)}) — start it with \`kite up\`\n`);
    else io.err(`kite control plane (pid ${report.pid}, state dir ${shown(stateDir)}) is not answering at ${report.url}: ${report.reason}\n`);
    return EXIT_USER_ERROR;
  }
  const nodes = report.nodes ?? [];
  const facts = [
    `State dir:\t${shown(stateDir)}`,
    `API server:\t${report.url}`,
    `PID:\t${report.pid}`,
    `Uptime:\t${report.uptimeSeconds === undefined ? '<unknown>' : humanDuration(report.uptimeSeconds * 1000)}`,
    `Kubeconfig:\t${shown(report.kubeconfig ?? kubeconfigPath(stateDir))}`,
    `Kubernetes:\t${report.kubernetesVersion}`,
    `Nodes:\t${nodes.length}${report.simulate ? ' (simulated)' : ''}`,
    ...(report.clusterDns ? [`Cluster DNS:\t${report.clusterDns}`] : []),
    ...(report.proxy ? [`Service proxy:\t${report.proxy.mode} (${report.proxy.reason})`] : []),
  ];
  let text = 'kite control plane is running\n' + tabwrite(facts.map((l) => `  ${l}`).join('\n') + '\n', DESCRIBE_TABWRITER);
  if (nodes.length > 0) {
    const rows = ['NAME\tSTATUS\tCPU\tMEMORY\tPODS', ...nodes.map((n) => `${n.name}\t${n.status}\t${n.cpu.requested}/${n.cpu.allocatable}\t${n.memory.requested}/${n.memory.allocatable}\t${n.pods.running}/${n.pods.capacity}`)];
    text += '\n' + tabwrite(rows.join('\n') + '\n', TABLE_TABWRITER);
  }
  if (report.hostFeatures) text += '\n' + formatHostFeatures(report.hostFeatures);
  io.out(text);
  return EXIT_OK;
}
