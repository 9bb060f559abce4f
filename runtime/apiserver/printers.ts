/**
 * The row printers of k/k pkg/printers/internalversion/printers.go for the kinds kite serves:
 * their column definitions (as the server generates them, `GenerateOptions{Wide: true}`: wide
 * columns marked `priority: 1`) and the cells of one object. tables.ts builds Tables from them;
 * each kind's strategy record (kinds/) names its printer.
 */
import { nodeRoles } from '../../lib/api/kinds/node.ts';
import { joinHostPort } from '../../lib/api/names.ts';
import { compareGoStrings, formatLabels, formatLabelSelector } from '../../lib/api/label-format.ts';
import type { ObjectMeta } from '../../lib/api/meta.ts';
import { formatRestarts, parseTimestamp, podSummary, translateTimestampSince } from '../../lib/api/pod-status.ts';
import type { TableColumnDefinition, TableObject, TableRowCondition } from './tables.ts';

/** One kind's columns and the printer of one row. */
export interface TablePrinter {
  readonly columns: readonly TableColumnDefinition[];
  print(o: TableObject, now: Date): Printed;
}

// ---------------------------------------------------------------------------------------------
// Column descriptions: the SwaggerDoc() texts the printers reference (k8s.io/api, 1.32).

const D = {
  name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  creationTimestamp:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  podIP: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  nodeName:
    'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
  nominatedNodeName:
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
  readinessGates:
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
  rcReplicas:
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
  rcStatusReplicas: 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
  rcReadyReplicas: 'The number of ready replicas for this replication controller.',
  rcSelector:
    'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  rsReplicas:
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsStatusReplicas: 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsReadyReplicas: 'readyReplicas is the number of pods targeted by this ReplicaSet controller with a Ready Condition.',
  rsSelector:
    'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  containers: 'Names of each container in the template.',
  images: 'Images referenced by each container in the template.',
  svcType:
    'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
  clusterIP:
    'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  externalIPs:
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.',
  svcPorts: 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  svcSelector:
    'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
  subsets:
    'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
  kubeletVersion: 'Kubelet Version reported by the node.',
  addresses:
    "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  osImage: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
  kernelVersion: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
  containerRuntimeVersion: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
  lastTimestamp: 'The time at which the most recent occurrence of this event was recorded.',
  eventType: 'Type of this event (Normal, Warning), new types could be added in the future',
  reason: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  involvedObject: 'The object that this event is about.',
  fieldPath:
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
  source: 'The component reporting this event. Should be a short machine understandable string.',
  message: 'A human-readable description of the status of this operation.',
  firstTimestamp: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  count: 'The number of times this event has occurred.',
  addressType:
    'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
  slicePorts:
    'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
  sliceEndpoints: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
} as const;

export function col(name: string, type: string, description: string, extra: { format?: string; priority?: number } = {}): TableColumnDefinition {
  return { name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

export const NAME = col('Name', 'string', D.name, { format: 'name' });
export const AGE = col('Age', 'string', D.creationTimestamp);
export const WIDE = { priority: 1 };

const POD_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE,
  col('IP', 'string', D.podIP, WIDE),
  col('Node', 'string', D.nodeName, WIDE),
  col('Nominated Node', 'string', D.nominatedNodeName, WIDE),
  col('Readiness Gates', 'string', D.readinessGates, WIDE),
];

/** ReplicationController and ReplicaSet: the same columns, each with its own field descriptions. */
function workloadColumns(d: { replicas: string; statusReplicas: string; readyReplicas: string; selector: string }): readonly TableColumnDefinition[] {
  return [
    NAME,
    col('Desired', 'integer', d.replicas),
    col('Current', 'integer', d.statusReplicas),
    col('Ready', 'integer', d.readyReplicas),
    AGE,
    col('Containers', 'string', D.containers, WIDE),
    col('Images', 'string', D.images, WIDE),
    col('Selector', 'string', d.selector, WIDE),
  ];
}

const REPLICATION_CONTROLLER_COLUMNS = workloadColumns({ replicas: D.rcReplicas, statusReplicas: D.rcStatusReplicas, readyReplicas: D.rcReadyReplicas, selector: D.rcSelector });

const REPLICA_SET_COLUMNS = workloadColumns({ replicas: D.rsReplicas, statusReplicas: D.rsStatusReplicas, readyReplicas: D.rsReadyReplicas, selector: D.rsSelector });

// deploymentColumnDefinitions; the descriptions are extensions/v1beta1's SwaggerDoc texts (1.32).
const DEPLOYMENT_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  col('Ready', 'string', 'Number of the pod with ready state'),
  col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  AGE,
  col('Containers', 'string', D.containers, WIDE),
  col('Images', 'string', D.images, WIDE),
  col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', WIDE),
];

const SERVICE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  col('Type', 'string', D.svcType),
  col('Cluster-IP', 'string', D.clusterIP),
  col('External-IP', 'string', D.externalIPs),
  col('Port(s)', 'string', D.svcPorts),
  AGE,
  col('Selector', 'string', D.svcSelector, WIDE),
];

const ENDPOINTS_COLUMNS: readonly TableColumnDefinition[] = [NAME, col('Endpoints', 'string', D.subsets), AGE];

const NAMESPACE_COLUMNS: readonly TableColumnDefinition[] = [NAME, col('Status', 'string', 'The status of the namespace'), AGE];

const NODE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  col('Status', 'string', 'The status of the node'),
  col('Roles', 'string', 'The roles of the node'),
  AGE,
  col('Version', 'string', D.kubeletVersion),
  col('Internal-IP', 'string', D.addresses, WIDE),
  col('External-IP', 'string', D.addresses, WIDE),
  col('OS-Image', 'string', D.osImage, WIDE),
  col('Kernel-Version', 'string', D.kernelVersion, WIDE),
  col('Container-Runtime', 'string', D.containerRuntimeVersion, WIDE),
];

const EVENT_COLUMNS: readonly TableColumnDefinition[] = [
  col('Last Seen', 'string', D.lastTimestamp),
  col('Type', 'string', D.eventType),
  col('Reason', 'string', D.reason),
  col('Object', 'string', D.involvedObject),
  col('Subobject', 'string', D.fieldPath, WIDE),
  col('Source', 'string', D.source, WIDE),
  col('Message', 'string', D.message),
  col('First Seen', 'string', D.firstTimestamp, WIDE),
  col('Count', 'string', D.count, WIDE),
  col('Name', 'string', D.name, { priority: 1, format: 'name' }),
];

const ENDPOINT_SLICE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  col('AddressType', 'string', D.addressType),
  col('Ports', 'string', D.slicePorts),
  col('Endpoints', 'string', D.sliceEndpoints),
  AGE,
];

/** CustomResource-style default columns for resources without a printer. */
const DEFAULT_COLUMNS: readonly TableColumnDefinition[] = [NAME, col('Age', 'date', D.creationTimestamp)];

// ---------------------------------------------------------------------------------------------
// defensive accessors (objects are JSON; status fields are loosely typed)

type Obj = Record<string, unknown>;

/** metadata of a stored object (always present on what the store returns). */
function metaOf(o: TableObject): ObjectMeta {
  return obj(o.metadata) as ObjectMeta;
}

export function nameOf(o: TableObject): string {
  return str(metaOf(o).name);
}

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj) : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

function nonEmpty(s: string, placeholder: string): string {
  return s === '' ? placeholder : s;
}

/** Go's strings.TrimSpace: Unicode White_Space (JS trim() would also strip U+FEFF and keep U+0085). */
const GO_SPACE_RE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function trimSpace(s: string): string {
  return s.replace(GO_SPACE_RE, '');
}



function listWithMoreString(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** layoutContainerCells */
function layoutContainerCells(containers: unknown): [string, string] {
  const cs = arr(containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

// ---------------------------------------------------------------------------------------------
// printers

export interface Printed {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

const POD_SUCCESS_CONDITIONS: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const POD_FAILED_CONDITIONS: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** len() of a map field (ConfigMap and Secret data); not a map: 0. */
export function keyCount(m: unknown): number {
  return m !== null && typeof m === 'object' ? Object.keys(m).length : 0;
}

export function age(o: TableObject, now: Date): string {
  return translateTimestampSince(metaOf(o).creationTimestamp, now);
}

function printPod(pod: TableObject, now: Date): Printed {
  const s = podSummary(pod);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  // v1 -> internal conversion fills podIPs from podIP.
  const podIPs = arr(status.podIPs);
  const podIP = podIPs.length > 0 ? str(podIPs[0]!.ip) : str(status.podIP);
  let readinessGates = '<none>';
  const gates = arr(spec.readinessGates);
  if (gates.length > 0) {
    const conditions = arr(status.conditions);
    let trueConditions = 0;
    for (const gate of gates) {
      const c = conditions.find((x) => x.type === gate.conditionType);
      if (c && c.status === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  const printed: Printed = {
    cells: [
      nameOf(pod),
      `${s.readyContainers}/${s.totalContainers}`,
      s.reason,
      formatRestarts(s, now),
      age(pod, now),
      nonEmpty(podIP, '<none>'),
      nonEmpty(str(spec.nodeName), '<none>'),
      nonEmpty(str(status.nominatedNodeName), '<none>'),
      readinessGates,
    ],
  };
  if (s.phase === 'Succeeded') printed.conditions = POD_SUCCESS_CONDITIONS.map((c) => ({ ...c }));
  else if (s.phase === 'Failed') printed.conditions = POD_FAILED_CONDITIONS.map((c) => ({ ...c }));
  return printed;
}

function replicas(spec: Obj): number {
  // The API always returns spec.replicas defaulted; an undefaulted object would read as 1.
  return spec.replicas === undefined || spec.replicas === null ? 1 : int(spec.replicas);
}

function printReplicationController(rc: TableObject, now: Date): Printed {
  const spec = obj(rc.spec);
  const status = obj(rc.status);
  const [names, images] = layoutContainerCells(obj(obj(spec.template).spec).containers);
  return { cells: [nameOf(rc), replicas(spec), int(status.replicas), int(status.readyReplicas), age(rc, now), names, images, formatLabels(spec.selector)] };
}

function printReplicaSet(rs: TableObject, now: Date): Printed {
  const spec = obj(rs.spec);
  const status = obj(rs.status);
  const [names, images] = layoutContainerCells(obj(obj(spec.template).spec).containers);
  return { cells: [nameOf(rs), replicas(spec), int(status.replicas), int(status.readyReplicas), age(rs, now), names, images, formatLabelSelector(spec.selector)] };
}

/** printDeployment: `READY` is ready/desired. */
function printDeployment(d: TableObject, now: Date): Printed {
  const spec = obj(d.spec);
  const status = obj(d.status);
  const [names, images] = layoutContainerCells(obj(obj(spec.template).spec).containers);
  const ready = `${int(status.readyReplicas)}/${replicas(spec)}`;
  return { cells: [nameOf(d), ready, int(status.updatedReplicas), int(status.availableReplicas), age(d, now), names, images, formatLabelSelector(spec.selector)] };
}

/** loadBalancerStatusStringer (wide: never clipped; the server always prints wide). */
function loadBalancerStatus(status: Obj): string {
  const set = new Set<string>();
  for (const ing of arr(obj(status.loadBalancer).ingress)) {
    if (str(ing.ip) !== '') set.add(str(ing.ip));
    else if (str(ing.hostname) !== '') set.add(str(ing.hostname));
  }
  return [...set].sort(compareGoStrings).join(',');
}

/** getServiceExternalIP */
export function serviceExternalIP(svc: TableObject): string {
  const spec = obj(svc.spec);
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(str) : [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lbIps = loadBalancerStatus(obj(svc.status));
      if (externalIPs.length > 0) return [...(lbIps ? lbIps.split(',') : []), ...externalIPs].join(',');
      return lbIps !== '' ? lbIps : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** makePortString: `80/TCP`, `80:30080/TCP`, comma-joined. */
export function servicePortString(ports: unknown): string {
  return arr(ports)
    .map((p) => (int(p.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${str(p.protocol)}` : `${int(p.port)}/${str(p.protocol)}`))
    .join(',');
}

function printService(svc: TableObject, now: Date): Printed {
  const spec = obj(svc.spec);
  // v1 -> internal conversion initializes clusterIPs from clusterIP.
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(str) : [];
  const internalIP = clusterIPs.length > 0 ? clusterIPs[0]! : nonEmpty(str(spec.clusterIP), '<none>');
  const ports = servicePortString(spec.ports);
  return {
    cells: [nameOf(svc), str(spec.type), internalIP, serviceExternalIP(svc), nonEmpty(ports, '<none>'), age(svc, now), formatLabels(spec.selector)],
  };
}

/** formatEndpoints(endpoints, nil): up to 3 `ip:port`, then ` + N more...`; `<none>` without subsets. */
export function formatEndpoints(endpoints: TableObject): string {
  const subsets = arr(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss.addresses);
    const ports = arr(ss.ports);
    if (ports.length === 0) {
      // headless services may have no ports
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(a.ip));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(str(a.ip), int(port.port)));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function printEndpoints(ep: TableObject, now: Date): Printed {
  return { cells: [nameOf(ep), formatEndpoints(ep), age(ep, now)] };
}

function printNamespace(ns: TableObject, now: Date): Printed {
  return { cells: [nameOf(ns), str(obj(ns.status).phase), age(ns, now)] };
}

function nodeAddress(status: Obj, type: string): string {
  const a = arr(status.addresses).find((x) => x.type === type);
  return a ? str(a.address) : '<none>';
}

function printNode(node: TableObject, now: Date): Printed {
  const spec = obj(node.spec);
  const status = obj(node.status);
  const conditions = new Map<string, Obj>();
  for (const c of arr(status.conditions)) conditions.set(str(c.type), c);
  const statuses: string[] = [];
  const ready = conditions.get('Ready');
  if (ready) statuses.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (statuses.length === 0) statuses.push('Unknown');
  if (spec.unschedulable === true) statuses.push('SchedulingDisabled');
  const info = obj(status.nodeInfo);
  return {
    cells: [
      nameOf(node),
      statuses.join(','),
      nonEmpty(nodeRoles(metaOf(node).labels).join(','), '<none>'),
      age(node, now),
      str(info.kubeletVersion),
      nodeAddress(status, 'InternalIP'),
      nodeAddress(status, 'ExternalIP'),
      nonEmpty(str(info.osImage), '<unknown>'),
      nonEmpty(str(info.kernelVersion), '<unknown>'),
      nonEmpty(str(info.containerRuntimeVersion), '<unknown>'),
    ],
  };
}

function printEvent(ev: TableObject, now: Date): Printed {
  const involved = obj(ev.involvedObject);
  const source = obj(ev.source);
  let firstTimestamp = translateTimestampSince(ev.firstTimestamp, now);
  if (parseTimestamp(ev.firstTimestamp) === undefined) firstTimestamp = translateTimestampSince(ev.eventTime, now);
  let lastTimestamp = translateTimestampSince(ev.lastTimestamp, now);
  if (parseTimestamp(ev.lastTimestamp) === undefined) lastTimestamp = firstTimestamp;
  let count = int(ev.count);
  const series = ev.series !== undefined && ev.series !== null ? obj(ev.series) : undefined;
  if (series) {
    lastTimestamp = translateTimestampSince(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) {
    count = 1; // singleton events of the new API carry no count
  }
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) !== '' ? `${kind}/${str(involved.name)}` : kind;
  // formatEventSource: component (else reportingController), `, host` (else reportingInstance)
  const component = str(source.component) || str(ev.reportingComponent);
  const instance = str(source.host) || str(ev.reportingInstance);
  const src = instance === '' ? component : `${component}, ${instance}`;
  return {
    cells: [lastTimestamp, str(ev.type), str(ev.reason), target, str(involved.fieldPath), src, trimSpace(str(ev.message)), firstTimestamp, count, nameOf(ev)],
  };
}

function printEndpointSlice(slice: TableObject, now: Date): Printed {
  const max = 3;
  let list: string[] = [];
  let more = false;
  let count = 0;
  for (const port of arr(slice.ports)) {
    if (list.length < max) {
      let portNum = '*';
      if (typeof port.port === 'number') portNum = String(Math.trunc(port.port));
      else if (typeof port.name === 'string') portNum = port.name;
      list.push(portNum);
    } else if (list.length === max) more = true;
    count++;
  }
  const ports = listWithMoreString(list, more, count, max);
  list = [];
  more = false;
  count = 0;
  for (const ep of arr(slice.endpoints)) {
    for (const address of Array.isArray(ep.addresses) ? ep.addresses : []) {
      if (list.length < max) list.push(str(address));
      else if (list.length === max) more = true;
      count++;
    }
  }
  const endpoints = listWithMoreString(list, more, count, max);
  return { cells: [nameOf(slice), str(slice.addressType), ports, endpoints, age(slice, now)] };
}

function printDefault(o: TableObject, now: Date): Printed {
  return { cells: [nameOf(o), age(o, now)] };
}

// ---------------------------------------------------------------------------------------------
// the printers of the kinds served (each kind's strategy record names its own)

export const POD_TABLE: TablePrinter = { columns: POD_COLUMNS, print: printPod };
export const REPLICATION_CONTROLLER_TABLE: TablePrinter = { columns: REPLICATION_CONTROLLER_COLUMNS, print: printReplicationController };
export const REPLICA_SET_TABLE: TablePrinter = { columns: REPLICA_SET_COLUMNS, print: printReplicaSet };
export const DEPLOYMENT_TABLE: TablePrinter = { columns: DEPLOYMENT_COLUMNS, print: printDeployment };
export const SERVICE_TABLE: TablePrinter = { columns: SERVICE_COLUMNS, print: printService };
export const ENDPOINTS_TABLE: TablePrinter = { columns: ENDPOINTS_COLUMNS, print: printEndpoints };
export const NAMESPACE_TABLE: TablePrinter = { columns: NAMESPACE_COLUMNS, print: printNamespace };
export const NODE_TABLE: TablePrinter = { columns: NODE_COLUMNS, print: printNode };
export const EVENT_TABLE: TablePrinter = { columns: EVENT_COLUMNS, print: printEvent };
export const ENDPOINT_SLICE_TABLE: TablePrinter = { columns: ENDPOINT_SLICE_COLUMNS, print: printEndpointSlice };

/** CustomResource-style default for resources without a printer: Name and Age. */
export const DEFAULT_TABLE: TablePrinter = { columns: DEFAULT_COLUMNS, print: printDefault };
