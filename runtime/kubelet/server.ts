/**
 * The kubelet's own HTTP server on loopback (the real kubelet's :10250): the API server proxies
 * pods/log (`/containerLogs/<ns>/<pod>/<container>`) and pods/exec (`/exec/<ns>/<pod>/<container>`,
 * WebSocket `v5.channel.k8s.io`) to it, as kube-apiserver does; the port is published in the
 * Node's `status.daemonEndpoints.kubeletEndpoint.Port`. Only the API server may call it (a
 * bearer token the runtime shares with it). A backend without processes answers that there is
 * nothing to stream. (Issue 11 §7, §8 — contract.)
 */
import type { Pod } from '../../lib/api/model.ts';
import type { KubeletBackend } from './backend.ts';

export interface KubeletServerOptions {
  /** Finds a pod bound to this node (the kubelet's view). */
  pod(ns: string, name: string): Pod | undefined;
  backend: KubeletBackend;
  nodeName: string;
  /** Bearer token the API server presents. */
  token: string;
  host?: string;
}

export interface RunningKubeletServer {
  port: number;
  close(): Promise<void>;
}

export function startKubeletServer(_o: KubeletServerOptions): Promise<RunningKubeletServer> {
  throw new Error('not implemented');
}
