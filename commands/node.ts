/**
 * `kite node stop|start NAME`: stop or restart a node's kubelet. The Node carries the
 * `kite.dev/stopped: "true"` annotation while stopped (a merge patch; start removes it); the
 * runtime's kubelet for that node watches it, stops heartbeating and running pods, and the node
 * lifecycle controller then does what it does for a lost node.
 */
import { EXIT_OK } from './exit-codes.ts';
import type { Io } from './output.ts';
import { reportKubeError } from './kube-errors.ts';
import { connect, type TargetFlags } from './target.ts';

/** The annotation the simulated kubelet watches (runtime/kubelet/node.ts STOPPED_ANNOTATION). */
export const STOPPED_ANNOTATION = 'kite.dev/stopped';

export interface NodeOptions {
  action: 'stop' | 'start';
  name: string;
  target: TargetFlags;
}

const NODES = { apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false } as const;

export async function nodeCommand(o: NodeOptions, io: Io): Promise<number> {
  const client = connect(o.target);
  try {
    const value = o.action === 'stop' ? 'true' : null;
    await client.patch(NODES, undefined, o.name, 'merge', { metadata: { annotations: { [STOPPED_ANNOTATION]: value } } }, { fieldManager: 'kite' });
    io.out(`node/${o.name} ${o.action === 'stop' ? 'stopped' : 'started'}\n`);
    return EXIT_OK;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}
