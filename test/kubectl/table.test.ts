// kubectl's printer on real server-side Tables (the runtime's); verified against kubectl 1.32 on
// the same objects: the expectations below are its output.
import { describe, expect, it } from 'vitest';
import { toTable } from '../../runtime/apiserver/tables.ts';
import { renderTable, tableLines } from '../../lib/kubectl/table.ts';

const NOW = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, opts: { node?: string; ip?: string; ready?: boolean; age?: number; ns?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.ns ?? 'default', uid: `uid-${name}`, creationTimestamp: ago(opts.age ?? 4), labels: { name: 'node-js' } },
    spec: { nodeName: opts.node ?? 'kite-node-1', containers: [{ name: 'node-js', image: 'jonbaier/node-express-info:latest' }] },
    status: {
      phase: opts.ready === false ? 'Pending' : 'Running',
      podIP: opts.ip ?? '127.200.1.2',
      podIPs: [{ ip: opts.ip ?? '127.200.1.2' }],
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      containerStatuses: [{ name: 'node-js', ready: opts.ready !== false, restartCount: 0, state: opts.ready === false ? { waiting: { reason: 'ContainerCreating' } } : { running: { startedAt: ago(3) } } }],
    },
  };
}
describe('renderTable (kubectl get on server-side Tables)', () => {
  const table = toTable('pods', [pod('node-js-kn22v'), pod('node-js-ll4rt', { node: 'kite-node-3', ip: '127.200.3.2' }), pod('node-js-qtstz', { node: 'kite-node-2', ip: '127.200.2.2', ready: false })], { now: NOW });

  it('prints the priority-0 columns uppercased', () => {
    expect(renderTable(table as never)).toBe(
      [
        'NAME            READY   STATUS              RESTARTS   AGE',
        'node-js-kn22v   1/1     Running             0          4s',
        'node-js-ll4rt   1/1     Running             0          4s',
        'node-js-qtstz   0/1     ContainerCreating   0          4s',
        '',
      ].join('\n'),
    );
  });

  it('adds the wide columns with -o wide', () => {
    expect(renderTable(table as never, { wide: true }).split('\n')[0]).toBe('NAME            READY   STATUS              RESTARTS   AGE   IP            NODE          NOMINATED NODE   READINESS GATES');
    expect(renderTable(table as never, { wide: true }).split('\n')[1]).toBe('node-js-kn22v   1/1     Running             0          4s    127.200.1.2   kite-node-1   <none>           <none>');
  });

  it('puts NAMESPACE first with -A and prefixes names with the kind for get all', () => {
    const t = toTable('pods', [pod('web', { ns: 'prod' })], { now: NOW });
    expect(renderTable(t as never, { withNamespace: true, kindPrefix: 'pod' })).toBe('NAMESPACE   NAME      READY   STATUS    RESTARTS   AGE\nprod        pod/web   1/1     Running   0          4s\n');
  });

  it('prints nothing for an empty table (the caller says "No resources found")', () => {
    expect(renderTable(toTable('pods', [], { now: NOW }) as never)).toBe('');
  });

  it('prints services and replication controllers as kubectl does', () => {
    const svc = {
      metadata: { name: 'node-js', namespace: 'default', creationTimestamp: ago(130) },
      spec: { type: 'LoadBalancer', clusterIP: '127.102.154.255', clusterIPs: ['127.102.154.255'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30015 }], selector: { name: 'node-js' } },
      status: { loadBalancer: {} },
    };
    expect(renderTable(toTable('services', [svc], { now: NOW }) as never, { kindPrefix: 'service' })).toBe(
      'NAME              TYPE           CLUSTER-IP        EXTERNAL-IP   PORT(S)        AGE\nservice/node-js   LoadBalancer   127.102.154.255   <pending>     80:30015/TCP   2m10s\n',
    );
    const rc = { metadata: { name: 'node-js', namespace: 'default', creationTimestamp: ago(4) }, spec: { replicas: 3, selector: { name: 'node-js' }, template: { spec: { containers: [{ name: 'node-js', image: 'img' }] } } }, status: { replicas: 3, readyReplicas: 3 } };
    expect(renderTable(toTable('replicationcontrollers', [rc], { now: NOW }) as never, { kindPrefix: 'replicationcontroller' })).toBe(
      'NAME                            DESIRED   CURRENT   READY   AGE\nreplicationcontroller/node-js   3         3         3       4s\n',
    );
  });

  it('cuts cells at the first line break, escapes terminal controls, omits headers when asked', () => {
    const table = {
      apiVersion: 'meta.k8s.io/v1',
      kind: 'Table' as const,
      metadata: {},
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
        { name: 'Data', type: 'string', format: '', description: '', priority: 0 },
        { name: 'Count', type: 'integer', format: '', description: '', priority: 0 },
      ],
      rows: [{ cells: ['x', 'first\nsecond', 3] }, { cells: ['y\x1b[31m', 'a\rb', null] }],
    };
    expect(tableLines(table, { noHeaders: true })).toBe('x\tfirst...\t3\ny^[[31m\ta...\t\n');
    expect(tableLines(table, { kindPrefix: 'thing' }).split('\n')[1]).toBe('thing/x\tfirst...\t3');
  });
});
