/**
 * kubectl's port arguments for port-forward (`[LOCAL_PORT:]REMOTE_PORT`), ported rules:
 * kubectl pkg/cmd/portforward/portforward.go (`splitPort`, `translateServicePortToTargetPort`,
 * `convertPodNamedPortToNumber`), kubectl pkg/util/service_port.go and pod_port.go (the
 * `Lookup…` helpers), client-go tools/portforward/portforward.go (`parsePorts`). Error texts
 * are theirs.
 */
import type { Pod, Service } from '../lib/api/model.ts';
import { UserError } from './output.ts';

export interface ForwardedPort {
  /** 0: any free port. */
  local: number;
  remote: number;
}

function splitPort(port: string): { local: string; remote: string } {
  const parts = port.split(':');
  return parts.length === 2 ? { local: parts[0]!, remote: parts[1]! } : { local: parts[0]!, remote: parts[0]! };
}

const isNumber = (s: string) => /^[+-]?\d+$/.test(s);

function containerPortByName(pod: Pod, name: string): number {
  for (const c of pod.spec.containers) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new UserError(`Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}

function servicePortByName(svc: Service, name: string): number {
  const found = svc.spec?.ports?.find((p) => p.name === name);
  if (!found) throw new UserError(`Service '${svc.metadata.name}' does not have a named port '${name}'`);
  return found.port;
}

/** The container port a service port reaches on `pod`: its targetPort, a named one looked up in the pod. */
function containerPortForServicePort(svc: Service, pod: Pod, port: number): number {
  for (const sp of svc.spec?.ports ?? []) {
    if (sp.port !== port) continue;
    if (svc.spec?.clusterIP === 'None') return port;
    const target = sp.targetPort;
    if (target === undefined || typeof target === 'number') return target ? target : sp.port;
    return containerPortByName(pod, target);
  }
  throw new UserError(`Service ${svc.metadata.name} does not have a service port ${port}`);
}

/** `svc/NAME` ports: service ports (numbers or names) turned into the pod's container ports. */
export function translateServicePorts(ports: readonly string[], svc: Service, pod: Pod): string[] {
  return ports.map((port) => {
    let { local, remote } = splitPort(port);
    let portnum: number;
    if (isNumber(remote)) portnum = Number(remote);
    else {
      portnum = servicePortByName(svc, remote);
      if (local === remote) local = String(portnum);
    }
    remote = String(containerPortForServicePort(svc, pod, portnum));
    return local !== remote ? `${local}:${remote}` : remote;
  });
}

/** Pod ports given by container port name turned into numbers. */
export function convertPodNamedPorts(ports: readonly string[], pod: Pod): string[] {
  return ports.map((port) => {
    const { local, remote } = splitPort(port);
    const number = isNumber(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${number}` : number;
  });
}

/** strconv.ParseUint(s, 10, 16)'s error text. */
function parseUint16(s: string): number | string {
  if (!/^\d+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  return n > 65535 ? `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range` : n;
}

export function parsePorts(ports: readonly string[]): ForwardedPort[] {
  return ports.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new UserError(`invalid port format '${spec}'`);
    // `:5000` picks a free local port.
    const localString = parts.length === 2 ? parts[0] || '0' : parts[0]!;
    const remoteString = parts.length === 2 ? parts[1]! : parts[0]!;
    const local = parseUint16(localString);
    if (typeof local === 'string') throw new UserError(`error parsing local port '${localString}': ${local}`);
    const remote = parseUint16(remoteString);
    if (typeof remote === 'string') throw new UserError(`error parsing remote port '${remoteString}': ${remote}`);
    if (remote === 0) throw new UserError('remote port must be > 0');
    return { local, remote };
  });
}
