/**
 * Probes and lifecycle hooks (core/v1 Probe, ProbeHandler, LifecycleHandler, Lifecycle) and
 * their validation: validateProbe / validateHandler / validateLifecycle /
 * validate{Liveness,Readiness,Startup}Probe from pkg/apis/core/validation.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import {
  asArr,
  asInt,
  asObj,
  asStr,
  checkNonNegative,
  forbidden,
  invalid,
  invalidEach,
  isSet,
  required,
  zInt,
  zIntOrString,
  zStr,
  zStrList,
  type Out,
} from './fields.ts';
import { isHTTPHeaderName, validatePortNumOrName } from './formats.ts';

export const ExecActionSchema = z.strictObject({
  command: zStrList.optional(),
});

export const HTTPHeaderSchema = z.strictObject({
  name: zStr,
  value: zStr,
});

export const HTTPGetActionSchema = z.strictObject({
  path: zStr.optional(),
  port: zIntOrString,
  host: zStr.optional(),
  scheme: z.enum(['HTTP', 'HTTPS']).optional(),
  httpHeaders: z.array(HTTPHeaderSchema).optional(),
});

export const TCPSocketActionSchema = z.strictObject({
  port: zIntOrString,
  host: zStr.optional(),
});

export const GRPCActionSchema = z.strictObject({
  port: zInt,
  service: zStr.optional(),
});

export const SleepActionSchema = z.strictObject({
  seconds: zInt,
});

export const ProbeSchema = z.strictObject({
  exec: ExecActionSchema.optional(),
  httpGet: HTTPGetActionSchema.optional(),
  tcpSocket: TCPSocketActionSchema.optional(),
  grpc: GRPCActionSchema.optional(),
  initialDelaySeconds: zInt.optional(),
  timeoutSeconds: zInt.optional(),
  periodSeconds: zInt.optional(),
  successThreshold: zInt.optional(),
  failureThreshold: zInt.optional(),
  terminationGracePeriodSeconds: zInt.optional(),
});

export const LifecycleHandlerSchema = z.strictObject({
  exec: ExecActionSchema.optional(),
  httpGet: HTTPGetActionSchema.optional(),
  tcpSocket: TCPSocketActionSchema.optional(),
  sleep: SleepActionSchema.optional(),
});

export const LifecycleSchema = z.strictObject({
  postStart: LifecycleHandlerSchema.optional(),
  preStop: LifecycleHandlerSchema.optional(),
});

export type ExecAction = z.output<typeof ExecActionSchema>;
export type HTTPHeader = z.output<typeof HTTPHeaderSchema>;
export type HTTPGetAction = z.output<typeof HTTPGetActionSchema>;
export type TCPSocketAction = z.output<typeof TCPSocketActionSchema>;
export type GRPCAction = z.output<typeof GRPCActionSchema>;
export type SleepAction = z.output<typeof SleepActionSchema>;
export type Probe = z.output<typeof ProbeSchema>;
export type ProbeInput = z.input<typeof ProbeSchema>;
export type LifecycleHandler = z.output<typeof LifecycleHandlerSchema>;
export type Lifecycle = z.output<typeof LifecycleSchema>;
export type LifecycleInput = z.input<typeof LifecycleSchema>;

/** Kubernetes' default pod terminationGracePeriodSeconds, used when the spec leaves it unset. */
const DEFAULT_GRACE_PERIOD = 30;

function validateHTTPGet(out: Out, path: string, h: Record<string, unknown>): void {
  if (asStr(h.path) === '') required(out, joinPath(path, 'path'));
  validatePortNumOrName(out, joinPath(path, 'port'), h.port);
  asArr(h.httpHeaders).forEach((hdr) => {
    const name = asStr(asObj(hdr)?.name);
    if (name !== undefined) invalidEach(out, joinPath(path, 'httpHeaders'), name, isHTTPHeaderName(name));
  });
}

/** validateHandler: exactly one handler type, each validated. */
function validateHandler(
  out: Out,
  path: string,
  h: Record<string, unknown>,
  kinds: readonly ('exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep')[],
  gracePeriod: number | undefined,
): void {
  let n = 0;
  for (const k of kinds) {
    if (!isSet(h[k])) continue;
    const p = joinPath(path, k);
    if (n > 0) {
      forbidden(out, p, 'may not specify more than 1 handler type');
      continue;
    }
    n++;
    const a = asObj(h[k]);
    if (!a) continue;
    switch (k) {
      case 'exec':
        if (asArr(a.command).length === 0 && (a.command === undefined || Array.isArray(a.command))) required(out, joinPath(p, 'command'));
        break;
      case 'httpGet':
        validateHTTPGet(out, p, a);
        break;
      case 'tcpSocket':
        validatePortNumOrName(out, joinPath(p, 'port'), a.port);
        break;
      case 'grpc':
        validatePortNumOrName(out, joinPath(p, 'port'), a.port);
        break;
      case 'sleep': {
        const s = asInt(a.seconds);
        const grace = gracePeriod ?? DEFAULT_GRACE_PERIOD;
        if (s !== undefined && (s <= 0 || s > grace)) {
          invalid(
            out,
            p,
            s,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          );
        }
        break;
      }
    }
  }
  if (n === 0) required(out, path, 'must specify a handler type');
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** validate{Liveness,Readiness,Startup}Probe */
export function validateProbe(out: Out, path: string, raw: unknown, kind: ProbeKind, gracePeriod: number | undefined): void {
  const p = asObj(raw);
  if (!p) return;
  validateHandler(out, path, p, PROBE_HANDLERS, gracePeriod);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    checkNonNegative(out, joinPath(path, f), p[f]);
  }
  const tgps = asInt(p.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) invalid(out, joinPath(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0');
  // successThreshold defaults to 1; liveness and startup probes may not set anything else.
  const st = asInt(p.successThreshold);
  if (kind !== 'readiness' && st !== undefined && st !== 1) invalid(out, joinPath(path, 'successThreshold'), st, 'must be 1');
  if (kind === 'readiness' && isSet(p.terminationGracePeriodSeconds)) {
    invalid(out, joinPath(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must not be set for readinessProbes');
  }
}

/** validateLifecycle */
export function validateLifecycle(out: Out, path: string, raw: unknown, gracePeriod: number | undefined): void {
  const l = asObj(raw);
  if (!l) return;
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = asObj(l[hook]);
    if (h) validateHandler(out, joinPath(path, hook), h, LIFECYCLE_HANDLERS, gracePeriod);
  }
}
