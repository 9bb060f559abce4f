/**
 * The Service environment variables (k/k pkg/kubelet/envvars/envvars.go FromServices and
 * kubelet_pods.go getServiceEnvVarMap): `{SVC}_SERVICE_HOST`, `{SVC}_SERVICE_PORT[_{NAME}]` and
 * the Docker-link `{SVC}_PORT[_{N}_{PROTO}[_PROTO|_PORT|_ADDR]]`, for Services with a ClusterIP.
 */
import type { Service } from '../../../../lib/api/model.ts';

/** The master Services, always linked from the default namespace (`masterServices` upstream). */
const MASTER_SERVICES = new Set(['kubernetes']);

/**
 * The variables for a pod in `ns`: the default namespace's `kubernetes` Service always, the
 * namespace's own Services when `enableServiceLinks` (default true).
 */
export function serviceEnv(enableServiceLinks: boolean, services: { default: Service[]; own: Service[] }): Record<string, string> {
  const byName = new Map<string, Service>();
  const nameOf = (s: Service) => s.metadata.name ?? '';
  for (const s of services.default) if (MASTER_SERVICES.has(nameOf(s)) && isServiceIPSet(s)) byName.set(nameOf(s), s);
  if (enableServiceLinks) {
    // A Service of the pod's namespace named like a master Service wins over the master's.
    for (const s of services.own) if (isServiceIPSet(s)) byName.set(nameOf(s), s);
  }
  const env: Record<string, string> = {};
  for (const name of [...byName.keys()].sort()) Object.assign(env, fromService(name, byName.get(name)!));
  return env;
}

/** IsServiceIPSet: a ClusterIP that is neither empty nor `None` (headless, ExternalName). */
function isServiceIPSet(s: Service): boolean {
  const ip = s.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

function envName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase();
}

function fromService(name: string, s: Service): Record<string, string> {
  const prefix = envName(name);
  const ip = s.spec!.clusterIP!;
  const ports = s.spec?.ports ?? [];
  const env: Record<string, string> = { [`${prefix}_SERVICE_HOST`]: ip };
  if (ports.length === 0) return env;
  env[`${prefix}_SERVICE_PORT`] = String(ports[0]!.port);
  for (const p of ports) if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
  // IPv6 addresses are bracketed in URLs (net.JoinHostPort).
  const host = ip.includes(':') ? `[${ip}]` : ip;
  ports.forEach((p, i) => {
    const proto = p.protocol ?? 'TCP';
    const url = `${proto.toLowerCase()}://${host}:${p.port}`;
    if (i === 0) env[`${prefix}_PORT`] = url;
    const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    env[portPrefix] = url;
    env[`${portPrefix}_PROTO`] = proto.toLowerCase();
    env[`${portPrefix}_PORT`] = String(p.port);
    env[`${portPrefix}_ADDR`] = ip;
  });
  return env;
}
