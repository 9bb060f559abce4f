// TEMP(core): replaced by the owner's version at merge
/**
 * A container's environment as the kubelet makes it (k/k pkg/kubelet/kubelet_pods.go
 * makeEnvironmentVariables): the Service environment variables of the pod's namespace (and the
 * master service's), `envFrom` then `env` in order with `$(VAR)` expansion,
 * `valueFrom.fieldRef`/`resourceFieldRef`/`configMapKeyRef`/`secretKeyRef`; plus kite's own
 * `POD_IP`, `POD_NAME`, `POD_NAMESPACE`, `PORT` (the first containerPort). (Issue 11 §2 — contract.)
 */
import type { ConfigMap, Container, Pod, Secret, Service } from '../../../../lib/api/model.ts';

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
}

/** `ok: false` is a CreateContainerConfigError with the kubelet's message (`configmap "x" not found`). */
export type ContainerEnv = { ok: true; env: Record<string, string> } | { ok: false; message: string };

export function containerEnv(c: Container, ctx: EnvContext): ContainerEnv {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...ctx.imageEnv, POD_IP: ctx.podIP, POD_NAME: ctx.pod.metadata.name ?? '', POD_NAMESPACE: ctx.pod.metadata.namespace ?? '' };
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.configMapKeyRef) {
      const cm = ctx.sources.configMap(ctx.pod.metadata.namespace ?? '', e.valueFrom.configMapKeyRef.name ?? '');
      if (!cm) return { ok: false, message: `configmap "${e.valueFrom.configMapKeyRef.name}" not found` };
      env[e.name] = cm.data?.[e.valueFrom.configMapKeyRef.key] ?? '';
    }
  }
  return { ok: true, env };
}
