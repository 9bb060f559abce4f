// Every registered describer's render phase on plain data: the seed objects (defaulted as the API
// server stores them, with the status a running cluster gives them) and the related objects a
// cluster would answer describe's lookups with. No client: the lookups are tested against a real
// runtime in related.test.ts. The layouts are kubectl 1.32's describe output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { EndpointSlice, Lease, Pod } from '../../../lib/api/model.ts';
import { configMapDescriber } from '../../../lib/kubectl/describe/configmap.ts';
import { endpointsDescriber } from '../../../lib/kubectl/describe/endpoints.ts';
import { endpointSliceDescriber } from '../../../lib/kubectl/describe/endpointslice.ts';
import { genericDescriber } from '../../../lib/kubectl/describe/generic.ts';
import { namespaceDescriber } from '../../../lib/kubectl/describe/namespace.ts';
import { nodeDescriber } from '../../../lib/kubectl/describe/node.ts';
import { podDescriber } from '../../../lib/kubectl/describe/pod.ts';
import { replicaSetDescriber, replicationControllerDescriber } from '../../../lib/kubectl/describe/replicaset.ts';
import { secretDescriber } from '../../../lib/kubectl/describe/secret.ts';
import { serviceDescriber } from '../../../lib/kubectl/describe/service.ts';
import { ago, event, NOW, podOf, seed } from './fixtures.ts';

// describe prints times in local time (RFC 1123Z): pin the zone so the expectations hold anywhere
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const RUNNING = { phase: 'Running', hostIP: '127.0.0.1', podIP: '127.200.1.2', podIPs: [{ ip: '127.200.1.2' }], startTime: ago(60), qosClass: 'Burstable' } as const;

describe('describers on the seed objects', () => {
  it('pod (kuard): containers, probes, volumes, conditions, events', () => {
    const [pod] = seed('kuard-pod.yaml');
    pod!.spec = { ...(pod!.spec as object), nodeName: 'kite-node-1' };
    pod!.status = {
      ...RUNNING,
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      containerStatuses: [{ name: 'kuard', ready: true, restartCount: 0, image: 'kuard-amd64:blue', imageID: '', containerID: 'kite://kuard', state: { running: { startedAt: ago(58) } } }],
    };
    const events = [
      event({ kind: 'Pod', name: 'kuard' }, 'Scheduled', 'Successfully assigned default/kuard to kite-node-1', { age: 60, component: 'default-scheduler' }),
      event({ kind: 'Pod', name: 'kuard', fieldPath: 'spec.containers{kuard}' }, 'Unhealthy', 'Readiness probe failed: connection refused', { type: 'Warning', age: 5, count: 4, first: 50 }),
    ];
    expect(podDescriber.render(pod!, { events }, NOW)).toMatchInlineSnapshot(`
      "Name:         kuard
      Namespace:    default
      Node:         kite-node-1/127.0.0.1
      Start Time:   Thu, 01 Jan 2026 11:59:00 +0000
      Labels:       <none>
      Annotations:  <none>
      Status:       Running
      IP:           127.200.1.2
      IPs:
        IP:  127.200.1.2
      Containers:
        kuard:
          Container ID:   kite://kuard
          Image:          kuard-amd64:blue
          Image ID:       
          Port:           8080/TCP
          Host Port:      0/TCP
          State:          Running
            Started:      Thu, 01 Jan 2026 11:59:02 +0000
          Ready:          True
          Restart Count:  0
          Limits:
            cpu:     1
            memory:  256Mi
          Requests:
            cpu:        500m
            memory:     128Mi
          Liveness:     http-get http://:8080/healthy delay=5s timeout=1s period=10s #success=1 #failure=3
          Readiness:    http-get http://:8080/ready delay=30s timeout=1s period=10s #success=1 #failure=3
          Environment:  <none>
          Mounts:
            /data from kuard-data (rw)
      Conditions:
        Type           Status
        PodScheduled   True 
        Ready          True 
      Volumes:
        kuard-data:
          Type:          HostPath (bare host directory volume)
          Path:          /var/lib/kuard
          HostPathType:  
        kuard-remote-data:
          Type:        NFS (an NFS mount that lasts the lifetime of a pod)
          Server:      my.nfs.server.local
          Path:        /exports
          ReadOnly:    false
      QoS Class:       Burstable
      Node-Selectors:  <none>
      Tolerations:     <none>
      Events:
        Type     Reason     Age               From               Message
        ----     ------     ----              ----               -------
        Normal   Scheduled  60s               default-scheduler  Successfully assigned default/kuard to kite-node-1
        Warning  Unhealthy  5s (x4 over 50s)  kubelet            spec.containers{kuard}: Readiness probe failed: connection refused
      "
    `);
  });

  it('replicaset (node-js-rs): selector expressions, pods status, template, events', () => {
    const [rs] = seed('node-js-rs.yaml');
    rs!.status = { replicas: 3, readyReplicas: 2, availableReplicas: 2 };
    const pods = [podOf(rs!, 'node-js-rs-a', 'Running'), podOf(rs!, 'node-js-rs-b', 'Running'), podOf(rs!, 'node-js-rs-c', 'Pending')];
    const events = [event({ kind: 'ReplicaSet', name: 'node-js-rs' }, 'SuccessfulCreate', 'Created pod: node-js-rs-a', { age: 30, component: 'replicaset-controller' })];
    expect(replicaSetDescriber.render(rs!, { pods, events }, NOW)).toMatchInlineSnapshot(`
      "Name:         node-js-rs
      Namespace:    default
      Selector:     app=node-js-express,deployment=test,name in (node-js-rs)
      Labels:       <none>
      Annotations:  <none>
      Replicas:     3 current / 3 desired
      Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed
      Pod Template:
        Labels:  app=node-js-express
                 deployment=test
                 name=node-js-rs
                 version=v1
        Containers:
         node-js-rs:
          Image:         jonbaier/node-express-info:latest
          Port:          80/TCP
          Host Port:     0/TCP
          Environment:   <none>
          Mounts:        <none>
        Volumes:         <none>
        Node-Selectors:  <none>
        Tolerations:     <none>
      Events:
        Type    Reason            Age   From                   Message
        ----    ------            ----  ----                   -------
        Normal  SuccessfulCreate  30s   replicaset-controller  Created pod: node-js-rs-a
      "
    `);
  });

  it('replicationcontroller and service (node-js-rc)', () => {
    const [rc, svc] = seed('node-js-rc.yaml');
    rc!.status = { replicas: 3, readyReplicas: 3, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }] };
    const pods = ['x', 'y', 'z'].map((s) => podOf(rc!, `node-js-${s}`, 'Running'));
    expect(replicationControllerDescriber.render(rc!, { pods, events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:         node-js
      Namespace:    default
      Selector:     name=node-js
      Labels:       name=node-js
      Annotations:  <none>
      Replicas:     3 current / 3 desired
      Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed
      Pod Template:
        Labels:  name=node-js
        Containers:
         node-js:
          Image:         jonbaier/node-express-info:latest
          Port:          80/TCP
          Host Port:     0/TCP
          Environment:   <none>
          Mounts:        <none>
        Volumes:         <none>
        Node-Selectors:  <none>
        Tolerations:     <none>
      Conditions:
        Type             Status  Reason
        ----             ------  ------
        ReplicaFailure   True    FailedCreate
      Events:            <none>
      "
    `);

    svc!.spec = { ...(svc!.spec as object), clusterIP: '127.96.0.10', clusterIPs: ['127.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' };
    (svc!.spec as { ports: Array<Record<string, unknown>> }).ports[0]!.nodePort = 30015;
    svc!.status = { loadBalancer: { ingress: [{ ip: '127.0.0.2', ipMode: 'VIP' }] } };
    const slices: EndpointSlice[] = [
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'node-js-abc', namespace: 'default' },
        addressType: 'IPv4',
        ports: [{ name: '', port: 80, protocol: 'TCP' }],
        endpoints: ['1', '2', '3', '4', '5'].map((n) => ({ addresses: [`127.200.1.${n}`], conditions: { ready: n !== '5' } })),
      },
    ];
    expect(serviceDescriber.render(svc!, { slices, events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:                     node-js
      Namespace:                default
      Labels:                   name=node-js
      Annotations:              <none>
      Selector:                 name=node-js
      Type:                     LoadBalancer
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       127.96.0.10
      IPs:                      127.96.0.10
      LoadBalancer Ingress:     127.0.0.2 (VIP)
      Port:                     <unset>  80/TCP
      TargetPort:               80/TCP
      NodePort:                 <unset>  30015/TCP
      Endpoints:                127.200.1.1:80,127.200.1.2:80,127.200.1.3:80 + 1 more...
      Session Affinity:         None
      External Traffic Policy:  Cluster
      Internal Traffic Policy:  Cluster
      Events:                   <none>
      "
    `);
  });

  it('service (ExternalName)', () => {
    const [svc] = seed('external-name-service.yaml');
    expect(serviceDescriber.render(svc!, { slices: [], events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:              external-database
      Namespace:         default
      Labels:            <none>
      Annotations:       <none>
      Selector:          <none>
      Type:              ExternalName
      IP Families:       <none>
      IP:                
      IPs:               <none>
      External Name:     database.company.com
      Session Affinity:  None
      Events:            <none>
      "
    `);
  });

  it('endpoints and endpointslice', () => {
    const ep: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'node-js', namespace: 'default', labels: { name: 'node-js' } },
      subsets: [{ addresses: [{ ip: '127.200.1.2' }, { ip: '127.200.2.2' }], notReadyAddresses: [{ ip: '127.200.3.2' }], ports: [{ port: 80, protocol: 'TCP' }] }],
    };
    expect(endpointsDescriber.render(ep, { events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:         node-js
      Namespace:    default
      Labels:       name=node-js
      Annotations:  <none>
      Subsets:
        Addresses:          127.200.1.2,127.200.2.2
        NotReadyAddresses:  127.200.3.2
        Ports:
          Name     Port  Protocol
          ----     ----  --------
          <unset>  80    TCP

      Events:  <none>
      "
    `);
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'node-js-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'node-js' } },
      addressType: 'IPv4',
      ports: [{ name: '', port: 80, protocol: 'TCP' }],
      endpoints: [{ addresses: ['127.200.1.2'], conditions: { ready: true }, nodeName: 'kite-node-1', targetRef: { kind: 'Pod', name: 'node-js-x', namespace: 'default' } }],
    };
    expect(endpointSliceDescriber.render(slice, { events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:         node-js-abc
      Namespace:    default
      Labels:       kubernetes.io/service-name=node-js
      Annotations:  <none>
      AddressType:  IPv4
      Ports:
        Name     Port  Protocol
        ----     ----  --------
        <unset>  80    TCP
      Endpoints:
        - Addresses:  127.200.1.2
          Conditions:
            Ready:    true
          Hostname:   <unset>
          TargetRef:  Pod/node-js-x
          NodeName:   kite-node-1
          Zone:       <unset>
      Events:         <none>
      "
    `);
  });

  it('node: lease, capacity, non-terminated pods and allocated resources', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'kite-node-1', uid: 'uid-node', labels: { 'kubernetes.io/hostname': 'kite-node-1', 'node-role.kubernetes.io/worker': '' }, annotations: { 'kite.dev/simulated': 'true' } },
      spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '2', memory: '4Gi', pods: '110' },
        allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'kite-node-1' }],
        nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1', osImage: 'kite', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'kite://0.1', kubeletVersion: 'v1.32.4', kubeProxyVersion: 'v1.32.4' },
      },
    };
    const spec = { nodeName: 'kite-node-1', containers: [{ name: 'c', image: 'img', resources: { requests: { cpu: '250m', memory: '64Mi' } } }] };
    const pods = ['web-1', 'web-2'].map((name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' } }, spec, status: { phase: 'Running' } }) as Pod);
    const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'kite-node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'kite-node-1' } };
    const events = [event({ kind: 'Node', name: 'kite-node-1', uid: 'uid-node' }, 'NodeReady', 'Node kite-node-1 status is now: NodeReady', { age: 120 })];
    expect(nodeDescriber.render(node, { pods, events, lease }, NOW)).toMatchInlineSnapshot(`
      "Name:               kite-node-1
      Roles:              worker
      Labels:             kubernetes.io/hostname=kite-node-1
                          node-role.kubernetes.io/worker=
      Annotations:        kite.dev/simulated: true
      CreationTimestamp:  Mon, 01 Jan 0001 00:00:00 +0000
      Taints:             node.kubernetes.io/unreachable:NoSchedule
      Unschedulable:      false
      Lease:
        HolderIdentity:  kite-node-1
        AcquireTime:     <unset>
        RenewTime:       <unset>
      Conditions:
        Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
        ----    ------  -----------------                 ------------------                ------         -------
        Ready   True    Mon, 01 Jan 0001 00:00:00 +0000   Mon, 01 Jan 0001 00:00:00 +0000   KubeletReady   kubelet is posting ready status
      Addresses:
        InternalIP:  127.0.0.1
        Hostname:    kite-node-1
      Capacity:
        cpu:     2
        memory:  4Gi
        pods:    110
      Allocatable:
        cpu:     2
        memory:  4Gi
        pods:    110
      System Info:
        Machine ID:                 m
        System UUID:                s
        Boot ID:                    b
        Kernel Version:             6.1
        OS Image:                   kite
        Operating System:           linux
        Architecture:               amd64
        Container Runtime Version:  kite://0.1
        Kubelet Version:            v1.32.4
        Kube-Proxy Version:         v1.32.4
      Non-terminated Pods:          (2 in total)
        Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
        ---------                   ----     ------------  ----------  ---------------  -------------  ---
        default                     web-1    250m (12%)    0 (0%)      64Mi (1%)        0 (0%)         <unknown>
        default                     web-2    250m (12%)    0 (0%)      64Mi (1%)        0 (0%)         <unknown>
      Allocated resources:
        (Total limits may be over 100 percent, i.e., overcommitted.)
        Resource           Requests    Limits
        --------           --------    ------
        cpu                500m (25%)  0 (0%)
        memory             128Mi (3%)  0 (0%)
        ephemeral-storage  0 (0%)      0 (0%)
      Events:
        Type    Reason     Age   From     Message
        ----    ------     ----  ----     -------
        Normal  NodeReady  2m    kubelet  Node kite-node-1 status is now: NodeReady
      "
    `);
  });

  it('namespace, with and without quota and limit-range support', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { 'kubernetes.io/metadata.name': 'prod' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    expect(namespaceDescriber.render(ns, {}, NOW)).toMatchInlineSnapshot(`
      "Name:         prod
      Labels:       kubernetes.io/metadata.name=prod
      Annotations:  <none>
      Status:       Active
      "
    `);
    expect(namespaceDescriber.render(ns, { quotas: [], limitRanges: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:         prod
      Labels:       kubernetes.io/metadata.name=prod
      Annotations:  <none>
      Status:       Active

      No resource quota.

      No LimitRange resource.
      "
    `);
  });

  it('configmap, secret and the generic describer (a lease)', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'default' }, data: { 'app.properties': 'a=1\nb=2' }, binaryData: { blob: Buffer.from('xyz').toString('base64') } };
    expect(configMapDescriber.render(cm, { events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:         conf
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      app.properties:
      ----
      a=1
      b=2


      BinaryData
      ====
      blob: 3 bytes

      Events:  <none>
      "
    `);
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } };
    expect(secretDescriber.render(secret, {}, NOW)).toMatchInlineSnapshot(`
      "Name:         db
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Type:  Opaque

      Data
      ====
      password:  7 bytes
      "
    `);
    const lease: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'kite-node-1', namespace: 'kube-node-lease', managedFields: [{ manager: 'kite' }] }, spec: { holderIdentity: 'kite-node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T11:59:50.000000Z' } };
    expect(genericDescriber('Lease').render(lease, { events: [] }, NOW)).toMatchInlineSnapshot(`
      "Name:         kite-node-1
      Namespace:    kube-node-lease
      Labels:       <none>
      Annotations:  <none>
      API Version:  coordination.k8s.io/v1
      Kind:         Lease
      Metadata:
      Spec:
        Holder Identity:         kite-node-1
        Lease Duration Seconds:  40
        Renew Time:              2026-01-01T11:59:50.000000Z
      Events:                    <none>
      "
    `);
  });

  it('failed lookups, as kubectl prints them in place of the data', () => {
    const [rs] = seed('node-js-rs.yaml');
    const rsText = replicaSetDescriber.render(rs!, { pods: { error: 'couldn\'t parse the selector' }, events: [] }, NOW);
    expect(rsText).toMatch(/^Pods Status:\s+error in fetching pods: couldn't parse the selector$/m);
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kite-node-1' } };
    const nodeText = nodeDescriber.render(node, { events: [], lease: { error: 'leases.coordination.k8s.io "kite-node-1" not found' } }, NOW);
    expect(nodeText).toMatch(/^Lease:\s+Failed to get lease: leases.coordination.k8s.io "kite-node-1" not found$/m);
    expect(nodeText).toMatch(/^Pods:\s+not authorized$/m);
  });
});
