import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/meta.ts';
import type { Literal } from './literal.ts';

type Data = Record<string, unknown>;
const obj = (v: unknown): Data | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Data) : undefined);

/** The labels App writes itself (lib/constructs/app.ts); an App's own props carry the rest. */
const APP_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by'];
const ROLLOUT_ANNOTATIONS: Record<string, string> = {
  'kite.dev/max-surge': 'maxSurge',
  'kite.dev/max-unavailable': 'maxUnavailable',
  'kite.dev/progress-deadline-seconds': 'progressDeadlineSeconds',
};
const PROBE_TIMING = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'];

/**
 * AppProps that may write this ReplicaSet or Deployment, or undefined when it is clearly not an
 * App's (neither App's labels nor a plain equality selector, several containers). A candidate only: the caller checks that the App
 * synthesizes exactly the object before using it.
 */
export function appPropsFor(w: KubeObject): Record<string, Literal> | undefined {
  const labels = w.metadata.labels ?? {};
  const spec = obj(w.spec);
  // An App's own labels, or (a workload written by hand) its equality selector as App's `selector`.
  const kiteLabels = labels['app.kubernetes.io/managed-by'] === 'kite' && labels['app.kubernetes.io/name'] === w.metadata.name;
  const selector = kiteLabels ? undefined : equalitySelector(spec?.selector);
  if (!kiteLabels && !selector) return undefined;
  const podSpec = obj(obj(spec?.template)?.spec);
  const containers = podSpec?.containers;
  if (!spec || !podSpec || !Array.isArray(containers) || containers.length !== 1) return undefined;
  const c: Data = { ...obj(containers[0]) };
  const props: Record<string, Literal> = {};
  if (typeof c.image !== 'string') return undefined;
  props.image = c.image;
  delete c.image;
  if (c.name === w.metadata.name) delete c.name;
  if (typeof spec.replicas === 'number' && spec.replicas !== 1) props.replicas = spec.replicas;
  if (w.kind === 'Deployment') props.workload = 'Deployment';
  const ports = c.ports as Data[] | undefined;
  if (ports?.length === 1 && ports[0]!.name === 'http' && Object.keys(ports[0]!).length === 2 && typeof ports[0]!.containerPort === 'number') {
    props.port = ports[0]!.containerPort as number;
    delete c.ports;
  }
  if (props.port !== undefined && isDeepStrictEqual(c.readinessProbe, c.livenessProbe)) {
    const probe = obj(c.readinessProbe);
    const get = obj(probe?.httpGet);
    if (probe && get && get.port === 'http' && typeof get.path === 'string' && Object.keys(get).length === 2 && Object.keys(probe).every((k) => k === 'httpGet' || PROBE_TIMING.includes(k))) {
      const timing = Object.fromEntries(PROBE_TIMING.filter((k) => probe[k] !== undefined).map((k) => [k, probe[k] as number]));
      props.health = Object.keys(timing).length === 0 ? get.path : { path: get.path, ...timing };
      delete c.readinessProbe;
      delete c.livenessProbe;
    }
  }
  for (const k of ['command', 'args'] as const) {
    if (Array.isArray(c[k])) {
      props[k] = c[k] as string[];
      delete c[k];
    }
  }
  const env = c.env as Data[] | undefined;
  if (Array.isArray(env) && new Set(env.map((e) => e.name)).size === env.length && env.every((e) => typeof e.name === 'string' && !/^\d+$/.test(e.name))) {
    props.env = Object.fromEntries(env.map(({ name, ...rest }) => [name as string, (Object.keys(rest).length === 1 && typeof rest.value === 'string' ? rest.value : rest) as Literal]));
    delete c.env;
  }
  const resources = obj(c.resources);
  if (resources && Object.keys(resources).every((k) => k === 'requests' || k === 'limits') && resources.requests !== undefined) {
    props.resources = { ...(resources.requests as Record<string, Literal>), ...(resources.limits ? { limits: resources.limits as Record<string, Literal> } : {}) };
    delete c.resources;
  }
  const own = Object.fromEntries(Object.entries(labels).filter(([k, v]) => (selector ? selector[k] !== v : !APP_LABELS.includes(k))));
  if (selector) props.selector = selector;
  if (Object.keys(own).length > 0) props.labels = own;
  const annotations = w.metadata.annotations ?? {};
  const rollout: Record<string, Literal> = {};
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations)) {
    const prop = ROLLOUT_ANNOTATIONS[k];
    if (prop) rollout[prop] = prop === 'progressDeadlineSeconds' || /^\d+$/.test(v) ? Number(v) : v;
    else rest[k] = v;
  }
  if (Object.keys(rest).length > 0) props.annotations = rest;
  if (Object.keys(rollout).length > 0) props.rollout = rollout;
  if (Object.keys(c).length > 0) props.container = c as Literal;
  const { containers: _, ...restOfPod } = podSpec;
  if (Object.keys(restOfPod).length > 0) props.podSpec = restOfPod as Literal;
  return props;
}

/** `matchLabels` alone, not empty: what App's `selector` writes. */
function equalitySelector(selector: unknown): Record<string, string> | undefined {
  const sel = obj(selector);
  const labels = obj(sel?.matchLabels);
  if (!sel || !labels || Object.keys(sel).length !== 1 || Object.keys(labels).length === 0) return undefined;
  return Object.values(labels).every((v) => typeof v === 'string') ? (labels as Record<string, string>) : undefined;
}

/** ExposeProps that may write this Service for the App (checked the same way). */
export function exposePropsFor(s: KubeObject, app: Record<string, Literal>, appName: string): Record<string, Literal> | undefined {
  const spec = obj(s.spec);
  const ports = spec?.ports as Data[] | undefined;
  if (!spec || ports?.length !== 1 || ports[0]!.name !== 'http' || typeof ports[0]!.port !== 'number') return undefined;
  const props: Record<string, Literal> = {};
  if (ports[0]!.port !== app.port) props.port = ports[0]!.port;
  if (typeof spec.type === 'string') props.type = spec.type;
  if (typeof ports[0]!.nodePort === 'number') props.nodePort = ports[0]!.nodePort;
  if (s.metadata.name !== appName) props.name = s.metadata.name ?? '';
  return props;
}
