/**
 * `describe pod` and the pieces pod-owning kinds share (containers, volumes, pod templates),
 * laid out as kubectl's describePod / describeContainers / DescribePodTemplate.
 */
import { qosClass } from '../../lib/api/qos.ts';
import { rfc1123z } from '../printers.ts';
import { goQuote } from '../../lib/api/labels.ts';
import {
  arr,
  describeEvents,
  goCompare,
  int,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  obj,
  printAnnotationsMultiline,
  printBool,
  printController,
  printLabelsMultiline,
  printPodTolerationsMultiline,
  PrefixWriter,
  quantity,
  quantityString,
  searchEvents,
  since,
  str,
  strMap,
  strs,
  stringOrNone,
  type DescribeContext,
  type Obj,
} from './common.ts';
import { formatLabelSelector } from './selectors.ts';

export async function describePod(pod: Obj, ctx: DescribeContext): Promise<string> {
  const meta = obj(pod.metadata);
  const events = await searchEvents(ctx.client, { name: str(meta.name), namespace: str(meta.namespace), uid: str(strMap(meta.annotations)['kubernetes.io/config.mirror'] ?? meta.uid) });
  return describePodText(pod, events, ctx.now);
}

/** describePod, given the pod and its events. */
export function describePodText(pod: Obj, events: readonly Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  if (typeof spec.priority === 'number') w.write(LEVEL_0, `Priority:\t${int(spec.priority)}\n`);
  if (str(spec.priorityClassName).length > 0) w.write(LEVEL_0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (str(spec.runtimeClassName).length > 0) w.write(LEVEL_0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (str(spec.serviceAccountName).length > 0) w.write(LEVEL_0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (str(spec.nodeName) === '') w.write(LEVEL_0, 'Node:\t<none>\n');
  else w.write(LEVEL_0, `Node:\t${str(spec.nodeName)}/${str(status.hostIP)}\n`);
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  const phase = str(status.phase);
  if (meta.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${int(meta.deletionGracePeriodSeconds)}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${phase}\n`);
  }
  if (str(status.reason).length > 0) w.write(LEVEL_0, `Reason:\t${str(status.reason)}\n`);
  if (str(status.message).length > 0) w.write(LEVEL_0, `Message:\t${str(status.message)}\n`);
  const seccomp = obj(obj(spec.securityContext).seccompProfile);
  if (obj(spec.securityContext).seccompProfile) {
    w.write(LEVEL_0, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
  w.write(LEVEL_0, `IP:\t${str(status.podIP)}\n`);
  const podIPs = arr(status.podIPs);
  if (podIPs.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n');
  else {
    w.write(LEVEL_0, 'IPs:\n');
    for (const ip of podIPs) w.write(LEVEL_1, `IP:\t${str(ip.ip)}\n`);
  }
  const controlledBy = printController(pod);
  if (controlledBy.length > 0) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  if (str(status.nominatedNodeName).length > 0) w.write(LEVEL_0, `NominatedNodeName:\t${str(status.nominatedNodeName)}\n`);
  if (spec.resources) {
    w.write(LEVEL_0, 'Resources:\n');
    describeResources(obj(spec.resources), w, LEVEL_1);
  }
  const resolver = envValueRetriever(pod);
  if (arr(spec.initContainers).length > 0) describeContainers('Init Containers', arr(spec.initContainers), arr(status.initContainerStatuses), resolver, w, '');
  describeContainers('Containers', arr(spec.containers), arr(status.containerStatuses), resolver, w, '');
  if (arr(spec.ephemeralContainers).length > 0) describeContainers('Ephemeral Containers', arr(spec.ephemeralContainers), arr(status.ephemeralContainerStatuses), resolver, w, '');
  const gates = arr(spec.readinessGates);
  const conditions = arr(status.conditions);
  if (gates.length > 0) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of gates) {
      const c = conditions.find((x) => x.type === g.conditionType);
      w.write(LEVEL_1, `${str(g.conditionType)} \t${c ? str(c.status) : '<none>'} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  describeVolumes(arr(spec.volumes), w, '');
  w.write(LEVEL_0, `QoS Class:\t${str(status.qosClass) || qosClass(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printPodTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeTopologySpreadConstraints(arr(spec.topologySpreadConstraints), w, '');
  if (events) describeEvents(events, w, now);
  return w.toString();
}

// ---------------------------------------------------------------------------------------------
// containers

type EnvResolver = ((e: Obj) => string) | undefined;

export function describeContainers(label: string, containers: Obj[], statuses: Obj[], resolver: EnvResolver, w: PrefixWriter, space: string): void {
  const byName = new Map<string, Obj>();
  for (const s of statuses) byName.set(str(s.name), s);
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

function describeContainerBasicInfo(c: Obj, status: Obj | undefined, space: string, w: PrefixWriter): void {
  const nameIndent = space.length > 0 ? ' ' : '';
  w.write(LEVEL_1, `${nameIndent}${str(c.name)}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${str(status.containerID)}\n`);
  w.write(LEVEL_2, `Image:\t${str(c.image)}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${str(status.imageID)}\n`);
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
  for (const name of Object.keys(limits).sort(goCompare)) w.write(level + 1, `${name}:\t${quantityString(limits[name])}\n`);
  if (Object.keys(requests).length > 0) w.write(level, 'Requests:\n');
  for (const name of Object.keys(requests).sort(goCompare)) w.write(level + 1, `${name}:\t${quantityString(requests[name])}\n`);
}

function describeContainerState(status: Obj, w: PrefixWriter): void {
  describeStatus('State', obj(status.state), w);
  const last = obj(status.lastState);
  if (last.terminated) describeStatus('Last State', last, w);
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${int(status.restartCount)}\n`);
}

function describeStatus(stateName: string, state: Obj, w: PrefixWriter): void {
  if (state.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(obj(state.running).startedAt)}\n`);
  } else if (state.waiting) {
    const waiting = obj(state.waiting);
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
    if (str(waiting.reason) !== '') w.write(LEVEL_3, `Reason:\t${str(waiting.reason)}\n`);
  } else if (state.terminated) {
    const t = obj(state.terminated);
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`);
    if (str(t.reason) !== '') w.write(LEVEL_3, `Reason:\t${str(t.reason)}\n`);
    if (str(t.message) !== '') w.write(LEVEL_3, `Message:\t${str(t.message)}\n`);
    w.write(LEVEL_3, `Exit Code:\t${int(t.exitCode)}\n`);
    if (int(t.signal) > 0) w.write(LEVEL_3, `Signal:\t${int(t.signal)}\n`);
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

/** intstr.String(). */
function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(Math.trunc(v)) : str(v);
}

/** net.JoinHostPort */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** url.PathEscape-ish escaping of a URL path, as url.URL.String() does (encodePath). */
function escapePath(p: string): string {
  let out = '';
  for (const b of Buffer.from(p)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** DescribeProbe: `http-get http://:8080/healthz delay=3s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(probe: Obj): string {
  const attrs = `delay=${int(probe.initialDelaySeconds)}s timeout=${int(probe.timeoutSeconds)}s period=${int(probe.periodSeconds)}s #success=${int(probe.successThreshold)} #failure=${int(probe.failureThreshold)}`;
  if (probe.exec) return `exec [${strs(obj(probe.exec).command).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const h = obj(probe.httpGet);
    const scheme = str(h.scheme).toLowerCase();
    const port = intOrString(h.port);
    const host = port.length > 0 ? joinHostPort(str(h.host), port) : str(h.host);
    let path = str(h.path);
    if (path !== '' && !path.startsWith('/') && host !== '') path = '/' + path;
    const url = `${scheme ? `${scheme}:` : ''}${scheme || host ? '//' : ''}${host}${escapePath(path)}`;
    return `http-get ${url} ${attrs}`;
  }
  if (probe.tcpSocket) {
    const t = obj(probe.tcpSocket);
    return `tcp-socket ${str(t.host)}:${intOrString(t.port)} ${attrs}`;
  }
  if (probe.grpc) {
    const g = obj(probe.grpc);
    return `grpc <pod>:${int(g.port)} ${str(g.service)} ${attrs}`;
  }
  return `unknown ${attrs}`;
}

function describeContainerEnvFrom(c: Obj, w: PrefixWriter): void {
  const envFrom = arr(c.envFrom);
  w.write(LEVEL_2, `Environment Variables from:${envFrom.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of envFrom) {
    let from = '';
    let name = '';
    let optional = false;
    if (e.configMapRef) {
      from = 'ConfigMap';
      name = str(obj(e.configMapRef).name);
      optional = obj(e.configMapRef).optional === true;
    } else if (e.secretRef) {
      from = 'Secret';
      name = str(obj(e.secretRef).name);
      optional = obj(e.secretRef).optional === true;
    }
    if (str(e.prefix).length === 0) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${str(e.prefix)}'\tOptional: ${optional}\n`);
  }
}

/** The `(v1:metadata.name)`-style env values kubectl resolves (fieldpath.ExtractFieldPathAsString: metadata only). */
function envValueRetriever(pod: Obj): (e: Obj) => string {
  return (e: Obj) => {
    const fieldPath = str(obj(obj(e.valueFrom).fieldRef).fieldPath);
    const meta = obj(pod.metadata);
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
    if (m) return strMap(meta[m[1]!])[m[2]!] ?? '';
    switch (fieldPath) {
      case 'metadata.name':
        return str(meta.name);
      case 'metadata.namespace':
        return str(meta.namespace);
      case 'metadata.uid':
        return str(meta.uid);
      case 'metadata.labels':
      case 'metadata.annotations': {
        const map = strMap(meta[fieldPath.slice('metadata.'.length)]);
        return Object.keys(map)
          .sort(goCompare)
          .map((k) => `${k}=${goQuote(map[k]!)}`)
          .join('\n');
      }
      default:
        return '';
    }
  };
}

/** resourcehelper.ExtractContainerResourceValue for `limits.cpu`-style references. */
function containerResourceValue(ref: Obj, c: Obj): string {
  const resource = str(ref.resource);
  const [kind, name] = resource.split('.') as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) return '';
  const q = quantity(obj(obj(c.resources)[kind])[name]) ?? quantity('0')!;
  const divisor = quantity(ref.divisor ?? '') ?? quantity(name === 'cpu' ? '1' : '1')!;
  if (divisor.isZero()) return '';
  if (name === 'cpu') {
    const m = q.milliValue();
    const d = divisor.milliValue();
    return String((m + d - 1n) / d);
  }
  const v = q.value();
  const d = divisor.value();
  return String((v + d - 1n) / d);
}

function describeContainerEnvVars(c: Obj, resolver: EnvResolver, w: PrefixWriter): void {
  const env = arr(c.env);
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    if (!e.valueFrom) {
      str(e.value)
        .split('\n')
        .forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${str(e.name)}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    const from = obj(e.valueFrom);
    if (from.fieldRef) {
      const f = obj(from.fieldRef);
      w.write(LEVEL_3, `${str(e.name)}:\t${resolver ? resolver(e) : ''} (${str(f.apiVersion)}:${str(f.fieldPath)})\n`);
    } else if (from.resourceFieldRef) {
      const ref = obj(from.resourceFieldRef);
      let value = containerResourceValue(ref, c);
      const resource = str(ref.resource);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${str(e.name)}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const ref = obj(from.secretKeyRef);
      w.write(LEVEL_3, `${str(e.name)}:\t<set to the key '${str(ref.key)}' in secret '${str(ref.name)}'>\tOptional: ${ref.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const ref = obj(from.configMapKeyRef);
      w.write(LEVEL_3, `${str(e.name)}:\t<set to the key '${str(ref.key)}' of config map '${str(ref.name)}'>\tOptional: ${ref.optional === true}\n`);
    }
  }
}

function describeContainerVolumes(c: Obj, w: PrefixWriter): void {
  const mounts = arr(c.volumeMounts);
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of [...mounts].sort((a, b) => goCompare(str(a.mountPath), str(b.mountPath)))) {
    const flags = [m.readOnly === true ? 'ro' : 'rw'];
    if (str(m.subPath).length > 0) flags.push(`path=${goQuote(str(m.subPath))}`);
    w.write(LEVEL_3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`);
  }
  const devices = arr(c.volumeDevices);
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of [...devices].sort((a, b) => goCompare(str(a.devicePath), str(b.devicePath)))) w.write(LEVEL_3, `${str(d.devicePath)} from ${str(d.name)}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// volumes

export function describeVolumes(volumes: Obj[], w: PrefixWriter, space: string): void {
  if (volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    const nameIndent = space.length > 0 ? ' ' : '';
    w.write(LEVEL_1, `${nameIndent}${str(v.name)}:\n`);
    describeVolumeSource(v, w);
  }
}

function describeVolumeSource(v: Obj, w: PrefixWriter): void {
  if (v.hostPath) {
    const h = obj(v.hostPath);
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(h.path)}\n    HostPathType:\t${h.type === undefined || h.type === null ? '<none>' : str(h.type)}\n`);
  } else if (v.emptyDir) {
    const e = obj(v.emptyDir);
    const limit = quantity(e.sizeLimit);
    const sizeLimit = limit && limit.sign() > 0 ? limit.toString() : '<unset>';
    w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(e.medium)}\n    SizeLimit:\t${sizeLimit}\n`);
  } else if (v.secret) {
    const s = obj(v.secret);
    w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(s.secretName)}\n    Optional:\t${s.optional === true}\n`);
  } else if (v.configMap) {
    const c = obj(v.configMap);
    w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(c.name)}\n    Optional:\t${c.optional === true}\n`);
  } else if (v.nfs) {
    const n = obj(v.nfs);
    w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(n.server)}\n    Path:\t${str(n.path)}\n    ReadOnly:\t${n.readOnly === true}\n`);
  } else if (v.persistentVolumeClaim) {
    const p = obj(v.persistentVolumeClaim);
    w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(p.claimName)}\n    ReadOnly:\t${p.readOnly === true}\n`);
  } else if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of arr(obj(v.downwardAPI).items)) {
      if (item.fieldRef) w.write(LEVEL_3, `${str(obj(item.fieldRef).fieldPath)} -> ${str(item.path)}\n`);
      if (item.resourceFieldRef) w.write(LEVEL_3, `${str(obj(item.resourceFieldRef).resource)} -> ${str(item.path)}\n`);
    }
  } else if (v.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const source of arr(obj(v.projected).sources)) {
      if (source.secret) w.write(LEVEL_2, `SecretName:\t${str(obj(source.secret).name)}\n    Optional:\t${obj(source.secret).optional === true}\n`);
      else if (source.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      else if (source.configMap) w.write(LEVEL_2, `ConfigMapName:\t${str(obj(source.configMap).name)}\n    Optional:\t${obj(source.configMap).optional === true}\n`);
      else if (source.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${int(obj(source.serviceAccountToken).expirationSeconds)}\n`);
    }
  } else if (v.image) {
    const i = obj(v.image);
    w.write(LEVEL_2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${str(i.reference)}\n    PullPolicy:\t${str(i.pullPolicy)}\n`);
  } else {
    w.write(LEVEL_1, '<unknown>\n');
  }
}

export function describeTopologySpreadConstraints(tscs: Obj[], w: PrefixWriter, space: string): void {
  if (tscs.length === 0) return;
  const sorted = [...tscs].sort((a, b) => goCompare(str(a.topologyKey), str(b.topologyKey)));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((tsc, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, space);
      w.write(LEVEL_0, '\t');
    }
    w.write(LEVEL_0, `${str(tsc.topologyKey)}:`);
    w.write(LEVEL_0, str(tsc.whenUnsatisfiable));
    w.write(LEVEL_0, ` when max skew ${int(tsc.maxSkew)} is exceeded`);
    if (tsc.labelSelector) w.write(LEVEL_0, ` for selector ${formatLabelSelector(tsc.labelSelector)}`);
    w.write(LEVEL_0, '\n');
  });
}

/** DescribePodTemplate (replica sets, replication controllers). */
export function describePodTemplate(template: Obj | undefined, w: PrefixWriter): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const meta = obj(template.metadata);
  const spec = obj(template.spec);
  printLabelsMultiline(w, '  Labels', meta.labels);
  if (Object.keys(obj(meta.annotations)).length > 0) printAnnotationsMultiline(w, '  Annotations', meta.annotations);
  if (str(spec.serviceAccountName).length > 0) w.write(LEVEL_1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (arr(spec.initContainers).length > 0) describeContainers('Init Containers', arr(spec.initContainers), [], undefined, w, '  ');
  describeContainers('Containers', arr(spec.containers), [], undefined, w, '  ');
  describeVolumes(arr(spec.volumes), w, '  ');
  describeTopologySpreadConstraints(arr(spec.topologySpreadConstraints), w, '  ');
  if (str(spec.priorityClassName).length > 0) w.write(LEVEL_1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printPodTolerationsMultilineIndented(w, spec.tolerations);
}

function printPodTolerationsMultilineIndented(w: PrefixWriter, tolerations: unknown): void {
  printPodTolerationsMultiline(w, '  Tolerations', tolerations);
}
