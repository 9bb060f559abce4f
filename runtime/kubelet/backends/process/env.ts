/**
 * A container's environment as the kubelet makes it (k/k pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables): the Service environment variables of the pod's namespace (and the
 * master service's), `envFrom` then `env` in order with `$(VAR)` expansion,
 * `valueFrom.fieldRef`/`resourceFieldRef`/`configMapKeyRef`/`secretKeyRef`; plus kite's own
 * `POD_IP`, `POD_NAME`, `POD_NAMESPACE`, `PORT` (the first containerPort). (Issue 11 §2.)
 *
 * Precedence, lowest first: the image's env, kite's own variables, the Service variables, then
 * what the container declares (`envFrom`, then `env`). `$(VAR)` in an `env` value sees what
 * the container declared before it, then the Service variables (as upstream), then kite's own.
 */
import type { ConfigMap, Container, Pod, Secret, Service } from '../../../../lib/api/model.ts';
import { isEnvVarName } from '../../../../lib/api/kinds/formats.ts';
import { fieldRefValue, resourceFieldRefValue, type Resolved } from './downward-api.ts';
import { expand, mappingFor } from './expansion.ts';
import { serviceEnv } from './service-env.ts';

/** What the environment refers to, read from the kubelet's view of the API. */
export interface EnvSources {
  configMap(ns: string, name: string): ConfigMap | undefined;
  secret(ns: string, name: string): Secret | undefined;
  /** Services of a namespace (for the service links), as they are when the container starts. */
  services(ns: string): Service[];
}

export interface EnvContext {
  pod: Pod;
  podIP: string;
  hostIP: string;
  nodeName: string;
  sources: EnvSources;
  /** The image's own env (lowest precedence). */
  imageEnv?: Record<string, string>;
  /**
   * The node's allocatable resources (`cpu`, `memory`, `ephemeral-storage` quantities): what a
   * `resourceFieldRef` to an unset limit reads, as upstream's defaultPodLimitsForDownwardAPI.
   */
  nodeAllocatable?: Record<string, string>;
}

/** An `InvalidEnvironmentVariableNames` warning: envFrom keys that were skipped. */
export interface EnvWarning {
  reason: 'InvalidEnvironmentVariableNames';
  message: string;
}

/** `ok: false` is a CreateContainerConfigError with the kubelet's message (`configmap "x" not found`). */
export type ContainerEnv = { ok: true; env: Record<string, string>; warnings: EnvWarning[] } | { ok: false; message: string };

export function containerEnv(c: Container, ctx: EnvContext): ContainerEnv {
  const { pod, sources } = ctx;
  const ns = pod.metadata.namespace ?? 'default';
  const services = serviceEnv(pod.spec.enableServiceLinks ?? true, { default: sources.services('default'), own: sources.services(ns) });
  const read = (kind: 'configMap' | 'secret', name = '') => objectData(sources, ns, kind, name);
  const declared: Record<string, string> = {};
  const warnings: EnvWarning[] = [];

  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'configMap' : 'secret';
    const data = read(kind, ref.name);
    if (!data.ok) {
      if (ref.optional) continue;
      return data;
    }
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(data.data)) {
      const name = (from.prefix ?? '') + key;
      if (isEnvVarName(name).length > 0) invalid.push(name);
      else declared[name] = value;
    }
    if (invalid.length > 0) {
      // The kubelet's event wording (kubelet_pods.go, Kubernetes 1.32).
      const message = `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`;
      warnings.push({ reason: 'InvalidEnvironmentVariableNames', message });
    }
  }

  const own = kiteEnv(c, ctx);
  const mapping = mappingFor(declared, services, own);
  for (const ev of c.env ?? []) {
    let value: Resolved | undefined;
    if (ev.value) value = { ok: true, value: expand(ev.value, mapping) };
    else if (ev.valueFrom?.fieldRef) value = fieldRefValue(ev.valueFrom.fieldRef, pod, ctx);
    else if (ev.valueFrom?.resourceFieldRef) value = resourceFieldRefValue(ev.valueFrom.resourceFieldRef, pod, c, ctx.nodeAllocatable ?? {});
    else if (ev.valueFrom?.configMapKeyRef || ev.valueFrom?.secretKeyRef) {
      const sel = (ev.valueFrom.configMapKeyRef ?? ev.valueFrom.secretKeyRef)!;
      const kind = ev.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const data = read(kind === 'ConfigMap' ? 'configMap' : 'secret', sel.name);
      if (!data.ok) {
        if (sel.optional) continue;
        return data;
      }
      if (!Object.hasOwn(data.data, sel.key)) {
        if (sel.optional) continue;
        return { ok: false, message: `couldn't find key ${sel.key} in ${kind} ${ns}/${sel.name ?? ''}` };
      }
      value = { ok: true, value: data.data[sel.key]! };
    }
    if (value && !value.ok) return value;
    declared[ev.name] = value?.value ?? '';
  }

  return { ok: true, env: { ...ctx.imageEnv, ...own, ...services, ...declared }, warnings };
}

/** kite's own variables, unless the container declares them itself. */
function kiteEnv(c: Container, ctx: EnvContext): Record<string, string> {
  const env: Record<string, string> = {
    POD_IP: ctx.podIP,
    POD_NAME: ctx.pod.metadata.name ?? '',
    POD_NAMESPACE: ctx.pod.metadata.namespace ?? 'default',
  };
  const port = c.ports?.[0]?.containerPort;
  if (port !== undefined) env.PORT = String(port);
  return env;
}

type Data = { ok: true; data: Record<string, string> } | { ok: false; message: string };

/** A ConfigMap's data or a Secret's (decoded); a missing object in the API server's NotFound wording, which the kubelet passes on. */
function objectData(sources: EnvSources, ns: string, kind: 'configMap' | 'secret', name: string): Data {
  if (kind === 'configMap') {
    const cm = sources.configMap(ns, name);
    return cm ? { ok: true, data: cm.data ?? {} } : { ok: false, message: `configmap "${name}" not found` };
  }
  const secret = sources.secret(ns, name);
  if (!secret) return { ok: false, message: `secret "${name}" not found` };
  return { ok: true, data: Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) };
}
