// The protobuf field table is kubectl's own: the checked-in table is what the script derives from
// the kubectl 1.32 binary, and decoding what kubectl actually sends (to a capturing server on
// loopback) gives the object its `--dry-run=client -o json` prints. Skipped, with a message, when
// the binary is not installed.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from '../../runtime/apiserver/http/protobuf/decode.ts';
import { DEFAULT_KUBECTL, FIELDS_PATH, deriveFieldTable, formatTable } from '../../scripts/derive-protobuf-fields.ts';
import { startCaptureServer, type CaptureServer, type CapturedRequest } from '../support/capture-server.ts';

const haveKubectl = existsSync(DEFAULT_KUBECTL);
if (!haveKubectl) console.warn(`skipping the protobuf table checks: ${DEFAULT_KUBECTL} (kubectl 1.32) is not installed`);

describe.skipIf(!haveKubectl)('the protobuf field table, derived from kubectl 1.32', () => {
  it('is what scripts/derive-protobuf-fields.ts derives from the binary (regenerate: npx tsx scripts/derive-protobuf-fields.ts)', () => {
    expect(formatTable(deriveFieldTable(readFileSync(DEFAULT_KUBECTL)))).toBe(readFileSync(FIELDS_PATH, 'utf8'));
  });
});

/** What a small cluster answers kubectl's discovery and drain's reads with. */
const discovery = (r: CapturedRequest) => {
  if (r.path === '/api') return { status: 200, body: { kind: 'APIVersions', versions: ['v1'] } };
  if (r.path === '/apis') return { status: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: [] } };
  if (r.path === '/api/v1') {
    const resource = (name: string, kind: string, namespaced: boolean) => ({ name, singularName: name.slice(0, -1), namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch'] });
    return { status: 200, body: { kind: 'APIResourceList', groupVersion: 'v1', resources: [resource('pods', 'Pod', true), resource('nodes', 'Node', false)] } };
  }
  if (r.path === '/api/v1/nodes/n1') return { status: 200, body: { kind: 'Node', apiVersion: 'v1', metadata: { name: 'n1' }, spec: {} } };
  if (r.path === '/api/v1/pods') {
    const pod = { metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'rc', uid: 'u', controller: true }] }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } };
    return { status: 200, body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod] } };
  }
  return undefined;
};

describe.skipIf(!haveKubectl)('decoding what kubectl 1.32 sends', () => {
  let cap: CaptureServer;
  let answer: unknown = {};
  beforeAll(async () => {
    cap = await startCaptureServer(DEFAULT_KUBECTL, (r) => discovery(r) ?? (r.method === 'POST' || r.method === 'DELETE' ? { status: 201, body: answer } : undefined));
  });
  afterAll(async () => {
    await cap?.close();
  });

  const lastWrite = () => cap.requests.filter((r) => r.method === 'POST' || r.method === 'DELETE').at(-1)!;

  // Each generator once with --dry-run=client -o json, once against the capturing server.
  const generators = [
    ['create', 'namespace', 'x'],
    ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=n=1', '--from-literal=empty='],
    ['create', 'secret', 'generic', 's', '--from-literal=k=v', '--from-literal=u=\u00e9', '--type=kite.dev/test'],
    ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
    ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https'],
    ['create', 'service', 'clusterip', 'headless', '--clusterip=None'],
    ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'],
    ['create', 'service', 'loadbalancer', 'lb', '--tcp=80'],
    ['create', 'service', 'externalname', 'ext', '--external-name=db.example.com'],
    ['create', 'serviceaccount', 'sa'],
    // Not served by the runtime (yet): its body must decode all the same. replicas 0 is a pointer kept at zero.
    ['create', 'deployment', 'd', '--image=nginx', '--replicas=0', '--port=80'],
    ['create', 'deployment', 'sleeper', '--image=busybox', '--', 'sleep', '3600'],
  ];
  for (const args of generators) {
    it(`kubectl ${args.join(' ')}`, async () => {
      const end = args.includes('--') ? args.indexOf('--') : args.length; // flags go before a container command
      const dry = await cap.kubectl([...args.slice(0, end), '--dry-run=client', '-o', 'json', ...args.slice(end)]);
      expect(dry.stderr).toBe('');
      answer = JSON.parse(dry.stdout);
      const sent = await cap.kubectl(args);
      expect(sent.stderr).toBe('');
      const body = lastWrite();
      expect(body.contentType).toBe(PROTOBUF_MEDIA_TYPE);
      // Same fields, same values, same order as Go's encoding/json writes them.
      expect(JSON.stringify(decodeProtobufObject(body.body))).toBe(JSON.stringify(answer));
    });
  }

  it('kubectl auth can-i create pods: a SelfSubjectAccessReview', async () => {
    answer = { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {}, status: { allowed: true } };
    expect((await cap.kubectl(['auth', 'can-i', 'create', 'pods'])).stdout).toBe('yes\n');
    expect(decodeProtobufObject(lastWrite().body)).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
      status: { allowed: false },
    });
  });

  it('kubectl auth can-i --list: a SelfSubjectRulesReview', async () => {
    answer = { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {}, status: { resourceRules: [], nonResourceRules: [], incomplete: false } };
    expect((await cap.kubectl(['auth', 'can-i', '--list'])).code).toBe(0);
    expect(decodeProtobufObject(lastWrite().body)).toEqual({
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { namespace: 'default' },
      status: { resourceRules: null, nonResourceRules: null, incomplete: false },
    });
  });

  it('kubectl drain --disable-eviction: DeleteOptions', async () => {
    answer = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'default' } };
    const r = await cap.kubectl(['drain', 'n1', '--disable-eviction', '--grace-period=7', '--timeout=5s']);
    expect(r.stdout).toContain('pod/p deleted');
    const del = lastWrite();
    expect([del.method, del.path, del.contentType]).toEqual(['DELETE', '/api/v1/namespaces/default/pods/p', PROTOBUF_MEDIA_TYPE]);
    expect(decodeProtobufObject(del.body)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 7 });
  });
});
