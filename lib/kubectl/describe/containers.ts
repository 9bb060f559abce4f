/** The `Containers:` sections of describe (describeContainers), for pods and pod templates. */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import { goQuote } from '../../api/labels.ts';
import type { ContainerState, ContainerStatus } from '../../api/model.ts';
import { rfc1123z } from '../time.ts';
import { describeContainerEnvFrom, describeContainerEnvVars, type EnvResolver } from './env.ts';
import { arr, int, obj, printBool, quantityString, str, strs, stringOrNone } from './fields.ts';
import { describeProbe } from './probe.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './prefix-writer.ts';

export function describeContainers(label: string, containers: Obj[], statuses: readonly ContainerStatus[], resolver: EnvResolver, w: PrefixWriter, space: string): void {
  const byName = new Map<string, ContainerStatus>();
  for (const s of statuses) byName.set(s.name, s);
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(str(c.name));
    describeContainerBasicInfo(c, status, space, w);
    describeContainerCommand(c, w);
    if (status) describeContainerState(status, w);
    describeResources(obj(c.resources), w, LEVEL_2);
    describeContainerProbe(c, w);
    if (arr(c.envFrom).length > 0) describeContainerEnvFrom(c, w);
    describeContainerEnvVars(c, resolver, w);
    describeContainerVolumes(c, w);
  }
}

function describeContainerBasicInfo(c: Obj, status: ContainerStatus | undefined, space: string, w: PrefixWriter): void {
  const nameIndent = space.length > 0 ? ' ' : '';
  w.write(LEVEL_1, `${nameIndent}${str(c.name)}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${str(c.image)}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports = arr(c.ports);
  const portString = ports.map((p) => `${int(p.containerPort)}/${str(p.protocol)}`).join(', ');
  if (portString.includes(',')) w.write(LEVEL_2, `Ports:\t${portString}\n`);
  else w.write(LEVEL_2, `Port:\t${stringOrNone(portString)}\n`);
  const hostPortString = ports.map((p) => `${int(p.hostPort)}/${str(p.protocol)}`).join(', ');
  if (hostPortString.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPortString}\n`);
  else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPortString)}\n`);
  const seccomp = obj(c.securityContext).seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${str(obj(seccomp).type)}\n`);
    if (obj(seccomp).type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${str(obj(seccomp).localhostProfile)}\n`);
  }
}

function describeContainerCommand(c: Obj, w: PrefixWriter): void {
  const command = strs(c.command);
  if (command.length > 0) {
    w.write(LEVEL_2, 'Command:\n');
    for (const part of command) for (const s of part.split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
  const args = strs(c.args);
  if (args.length > 0) {
    w.write(LEVEL_2, 'Args:\n');
    for (const part of args) for (const s of part.split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
}

/** Resource names sorted as Go strings, values as Quantity.String(). */
export function describeResources(resources: Obj, w: PrefixWriter, level: number): void {
  const limits = obj(resources.limits);
  const requests = obj(resources.requests);
  if (Object.keys(limits).length > 0) w.write(level, 'Limits:\n');
  for (const name of Object.keys(limits).sort(compareGoStrings)) w.write(level + 1, `${name}:\t${quantityString(limits[name])}\n`);
  if (Object.keys(requests).length > 0) w.write(level, 'Requests:\n');
  for (const name of Object.keys(requests).sort(compareGoStrings)) w.write(level + 1, `${name}:\t${quantityString(requests[name])}\n`);
}

function describeContainerState(status: ContainerStatus, w: PrefixWriter): void {
  describeStatus('State', status.state ?? {}, w);
  const last = status.lastState ?? {};
  if (last.terminated) describeStatus('Last State', last, w);
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

function describeStatus(stateName: string, state: ContainerState, w: PrefixWriter): void {
  if (state.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
  }
}

function describeContainerProbe(c: Obj, w: PrefixWriter): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(obj(c.livenessProbe))}\n`);
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(obj(c.readinessProbe))}\n`);
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(obj(c.startupProbe))}\n`);
}

function describeContainerVolumes(c: Obj, w: PrefixWriter): void {
  const mounts = arr(c.volumeMounts);
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of [...mounts].sort((a, b) => compareGoStrings(str(a.mountPath), str(b.mountPath)))) {
    const flags = [m.readOnly === true ? 'ro' : 'rw'];
    if (str(m.subPath).length > 0) flags.push(`path=${goQuote(str(m.subPath))}`);
    w.write(LEVEL_3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`);
  }
  const devices = arr(c.volumeDevices);
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of [...devices].sort((a, b) => compareGoStrings(str(a.devicePath), str(b.devicePath)))) w.write(LEVEL_3, `${str(d.devicePath)} from ${str(d.name)}\n`);
  }
}
