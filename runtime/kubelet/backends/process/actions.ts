/**
 * The handlers probes and lifecycle hooks share (k/k pkg/kubelet/prober/prober.go runProbe,
 * pkg/kubelet/lifecycle/handlers.go Run): httpGet (host defaults to the pod IP; scheme, headers;
 * for a probe 200–399 succeeds, 300–399 with a warning, 400+ fails; for a hook only a transport
 * error fails, as the kubelet discards the response), tcpSocket, exec (argv run directly in the
 * container's sandbox and env — never through a shell unless the user wrote one), grpc, and
 * hooks' sleep. Results carry the kubelet's own wording: probe output as events show it, and a
 * failed hook's full message (`HTTP lifecycle hook (…) for Container "c" in Pod "p" failed -
 * error: …`) as the container's waiting message shows it. (Issue 11 §4, §5.)
 */
import type { Container } from '../../../../lib/api/model.ts';
import type { HTTPGetAction, LifecycleHandler, Probe } from '../../../../lib/api/kinds/probe.ts';
import type { SandboxCommand } from './sandbox.ts';
import { jsonEqual } from '../../../../lib/api/equal.ts';
import { KUBELET_VERSION } from '../../node.ts';
import { resolveContainerPort } from './container-port.ts';
import { httpGet, probeHeaders, probeURL, statusFailure } from './action-http.ts';
import { HTTP_RESPONSE_TO_HTTPS, joinHostPort } from './go-net-errors.ts';
import { tcpDial } from './action-tcp.ts';
import { probeGet } from './probe-get-cache.ts';
import { runExec, type ExecOutcome } from './action-exec.ts';
import { grpcHealthCheck } from './action-grpc.ts';

export interface ActionTarget {
  podIP: string;
  container: Container;
  /** Builds the process for an exec action (the sandbox's `command` with the container's env). */
  execCommand(argv: string[]): SandboxCommand;
  /** `<name>_<namespace>(<uid>)` (format.Pod), named in a failed hook's message. */
  podFullName?: string;
}

export interface ActionResult {
  result: 'success' | 'failure' | 'warning';
  /** The output or error as the kubelet reports it in events (for a hook: the whole failure message). */
  output: string;
  /**
   * The probe could not be run at all (an unknown port name, a program that cannot start):
   * upstream's probe.Unknown with an error, which the worker reports as `… probe errored …`
   * and does not count towards a threshold.
   */
  errored?: boolean;
  /** A Warning event to record although the action succeeded (a hook's `LifecycleHTTPFallback`). */
  warningEvent?: { reason: string; message: string };
}

export interface ActionOptions {
  /**
   * A probe or a lifecycle hook: they judge httpGet differently and word failures differently.
   * Unset: a hook when `action` is the container's postStart or preStop, else a probe.
   */
  purpose?: 'probe' | 'lifecycle';
}

/** `1.32` of `v1.32.4`: the version in `kube-probe/1.32`. */
const MAJOR_MINOR = KUBELET_VERSION.replace(/^v/, '').split('.').slice(0, 2).join('.');

const PROBE_USER_AGENT = `kube-probe/${MAJOR_MINOR}`;

/** The longest a Node timer can wait; also what "no timeout" (0, Infinity) means here. */
const NO_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Runs one probe's or hook's action once, bounded by `timeoutMs` (0 or Infinity: unbounded, as
 * the kubelet runs exec hooks), aborted by `signal`.
 */
export function runAction(action: Probe | LifecycleHandler, target: ActionTarget, timeoutMs: number, signal?: AbortSignal, options: ActionOptions = {}): Promise<ActionResult> {
  const bound = timeoutMs > 0 && timeoutMs < NO_TIMEOUT_MS ? timeoutMs : NO_TIMEOUT_MS;
  const purpose = options.purpose ?? (isHookOf(target.container, action) ? 'lifecycle' : 'probe');
  return purpose === 'lifecycle' ? runHook(action as LifecycleHandler, target, bound, signal) : runProbe(action as Probe, target, bound, signal);
}

function isHookOf(c: Container, action: Probe | LifecycleHandler): boolean {
  const probes = [c.livenessProbe, c.readinessProbe, c.startupProbe];
  if (probes.includes(action as Probe)) return false;
  return [c.lifecycle?.postStart, c.lifecycle?.preStop].some((h) => h !== undefined && (h === action || jsonEqual(h, action)));
}

async function runProbe(p: Probe, target: ActionTarget, timeoutMs: number, signal?: AbortSignal): Promise<ActionResult> {
  if (p.exec) {
    const argv = p.exec.command ?? [];
    const o = await runExec(argv, target.execCommand(argv), timeoutMs, signal);
    return execProbeResult(o);
  }
  if (p.httpGet) {
    const port = resolveContainerPort(p.httpGet.port, target.container);
    if (!port.ok) return errored(port.error);
    const { url, headers } = probeGet(p.httpGet, p.httpGet.host || target.podIP, port.port, PROBE_USER_AGENT);
    const res = await httpGet(url, headers, timeoutMs, signal);
    if (!res.ok) return { result: 'failure', output: res.error };
    if (res.status >= 200 && res.status < 300) return { result: 'success', output: res.body };
    if (res.status >= 300 && res.status < 400) return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'failure', output: statusFailure(res.status) };
  }
  if (p.tcpSocket) {
    const port = resolveContainerPort(p.tcpSocket.port, target.container);
    if (!port.ok) return errored(port.error);
    const res = await tcpDial(p.tcpSocket.host || target.podIP, port.port, timeoutMs, signal);
    return res.ok ? { result: 'success', output: '' } : { result: 'failure', output: res.error };
  }
  if (p.grpc) {
    const res = await grpcHealthCheck(target.podIP, p.grpc.port, p.grpc.service ?? '', timeoutMs, `kube-probe/${MAJOR_MINOR}`, signal);
    return { result: res.ok ? 'success' : 'failure', output: res.output };
  }
  return errored(`missing probe handler for ${target.podFullName ?? ''}:${target.container.name}`);
}

/** pkg/probe/exec: exit 0 succeeds; any other exit or the deadline fails; not starting at all is an error. */
function execProbeResult(o: ExecOutcome): ActionResult {
  switch (o.kind) {
    case 'exited':
      return { result: o.exitCode === 0 ? 'success' : 'failure', output: o.stdout + o.stderr };
    case 'timeout':
      return { result: 'failure', output: o.message };
    case 'aborted':
      return errored('context canceled');
    case 'start-failed':
      return errored(o.message);
  }
}

function errored(output: string): ActionResult {
  return { result: 'failure', output, errored: true };
}

async function runHook(h: LifecycleHandler, target: ActionTarget, timeoutMs: number, signal?: AbortSignal): Promise<ActionResult> {
  const where = `for Container ${JSON.stringify(target.container.name)} in Pod ${JSON.stringify(target.podFullName ?? '')}`;
  if (h.exec) {
    const argv = h.exec.command ?? [];
    const o = await runExec(argv, target.execCommand(argv), timeoutMs, signal);
    if (o.kind === 'exited' && o.exitCode === 0) return { result: 'success', output: '' };
    const [error, output] = execHookError(argv, o);
    return { result: 'failure', output: `Exec lifecycle hook ([${argv.join(' ')}]) ${where} failed - error: ${error}, message: ${JSON.stringify(output)}` };
  }
  if (h.httpGet) {
    const r = await runHTTPHook(h.httpGet, target, timeoutMs, signal);
    if (r.result === 'success') return r;
    return { result: 'failure', output: `HTTP lifecycle hook (${h.httpGet.path ?? ''}) ${where} failed - error: ${r.output}` };
  }
  if (h.sleep) {
    const finished = await sleep(h.sleep.seconds * 1000, timeoutMs, signal);
    if (finished) return { result: 'success', output: '' };
    return { result: 'failure', output: `Sleep lifecycle hook (${h.sleep.seconds}) ${where} failed - error: container terminated before sleep hook finished` };
  }
  // tcpSocket is accepted by the API for compatibility only; the kubelet has no runner for it.
  return { result: 'failure', output: `Cannot run handler: invalid handler: &LifecycleHandler{TCPSocket:&TCPSocketAction{Port:${h.tcpSocket?.port ?? ''},Host:${h.tcpSocket?.host ?? ''},},}` };
}

/** RunInContainer's error (CRI ExecSync: `command '<argv>' exited with <n>: <stderr>`) and its output. */
function execHookError(argv: string[], o: ExecOutcome): [string, string] {
  switch (o.kind) {
    case 'exited':
      return [`command '${argv.join(' ')}' exited with ${o.exitCode}: ${o.stderr}`, o.stdout + o.stderr];
    case 'aborted':
      return ['context canceled', ''];
    default:
      return [o.message, ''];
  }
}

/**
 * runHTTPHandler: any response will do (its body is discarded); only reaching no server fails.
 * An HTTPS hook answered in plain HTTP is retried over HTTP without the Authorization header,
 * and a success then carries a `LifecycleHTTPFallback` warning.
 */
async function runHTTPHook(action: HTTPGetAction, target: ActionTarget, timeoutMs: number, signal?: AbortSignal): Promise<ActionResult> {
  const port = resolveContainerPort(action.port, target.container);
  if (!port.ok) return { result: 'failure', output: port.error };
  const host = action.host || target.podIP;
  const url = probeURL(action, host, port.port);
  const headers = probeHeaders(action, `kube-lifecycle/${MAJOR_MINOR}`);
  const res = await httpGet(url, headers, timeoutMs, signal);
  if (res.ok) return { result: 'success', output: '' };
  if (url.protocol === 'https:' && res.error.endsWith(HTTP_RESPONSE_TO_HTTPS)) {
    url.protocol = 'http:';
    delete headers.Authorization;
    if ((await httpGet(url, headers, timeoutMs, signal)).ok) {
      const message = `request to HTTPS lifecycle hook ${joinHostPort(host, port.port)} got HTTP response, retry with HTTP succeeded`;
      return { result: 'success', output: '', warningEvent: { reason: 'LifecycleHTTPFallback', message } };
    }
  }
  return { result: 'failure', output: res.error };
}

/** runSleepHandler: true when the sleep ran out, false when the context (timeout or signal) ended first. */
function sleep(ms: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const end = (ok: boolean): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => end(false);
    const t = ms <= timeoutMs ? setTimeout(() => end(true), ms) : setTimeout(() => end(false), timeoutMs);
    signal?.addEventListener('abort', onAbort);
  });
}
