/**
 * The handlers probes and lifecycle hooks share (k/k pkg/kubelet/prober/prober.go,
 * lifecycle/handlers.go): httpGet (host defaults to the pod IP; scheme, headers; 200–399
 * succeeds, 400+ fails, a redirect to another host is a warning), tcpSocket, exec (argv run
 * directly in the container's sandbox and env — never through a shell unless the user wrote
 * one), grpc, and hooks' sleep. (Issue 11 §4, §5 — contract.)
 */
import type { Container } from '../../../../lib/api/model.ts';
import type { LifecycleHandler, Probe } from '../../../../lib/api/kinds/probe.ts';
import type { SandboxCommand } from './sandbox.ts';

export interface ActionTarget {
  podIP: string;
  container: Container;
  /** Builds the process for an exec action (the sandbox's `command` with the container's env). */
  execCommand(argv: string[]): SandboxCommand;
}

export interface ActionResult {
  result: 'success' | 'failure' | 'warning';
  /** The output or error as the kubelet reports it in events. */
  output: string;
}

/** Runs one probe's or hook's action once, bounded by `timeoutMs`, aborted by `signal`. */
export function runAction(_action: Probe | LifecycleHandler, _target: ActionTarget, _timeoutMs: number, _signal?: AbortSignal): Promise<ActionResult> {
  throw new Error('not implemented');
}
