// TEMP(core): replaced by the owner's version at merge
/**
 * The handlers probes and lifecycle hooks share (k/k pkg/kubelet/prober/prober.go,
 * lifecycle/handlers.go): httpGet (host defaults to the pod IP; scheme, headers; 200–399
 * succeeds, 400+ fails, a redirect to another host is a warning), tcpSocket, exec (argv run
 * directly in the container's sandbox and env — never through a shell unless the user wrote
 * one), grpc, and hooks' sleep. (Issue 11 §4, §5 — contract.)
 */
import { execFile } from 'node:child_process';
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
export async function runAction(action: Probe | LifecycleHandler, target: ActionTarget, timeoutMs: number, signal?: AbortSignal): Promise<ActionResult> {
  if ('sleep' in action && action.sleep) {
    await new Promise((r) => setTimeout(r, action.sleep!.seconds * 1000));
    return { result: 'success', output: '' };
  }
  if (!action.exec?.command) return { result: 'success', output: '' };
  const cmd = target.execCommand(action.exec.command);
  return new Promise((done) => {
    execFile(cmd.file, cmd.args, { env: cmd.env, cwd: cmd.cwd, timeout: timeoutMs, ...(signal ? { signal } : {}) }, (err, stdout, stderr) =>
      done({ result: err ? 'failure' : 'success', output: `${stdout}${stderr}` || (err ? String(err.message) : '') }),
    );
  });
}
