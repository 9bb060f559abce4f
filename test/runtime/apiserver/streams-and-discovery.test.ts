// Discovery as kubectl reads it (`kubectl api-resources` lists exactly what is served), and the
// streams a simulated node cannot give (exec, attach, port-forward, logs -f) refused with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVED } from '../../../runtime/apiserver/resources.ts';
import { AUTHORIZATION_API_VERSION, reviewDiscovery } from '../../../runtime/apiserver/reviews.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('kubectl api-resources', () => {
  it('lists exactly the resources the server serves, with their verbs', async () => {
    const r = await rt.kubectl(['api-resources', '-o', 'wide']);
    expect(r.stderr).toBe('');
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    // Column starts from the header, as kubectl's tabwriter aligns them.
    const names = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES'];
    const starts = names.map((n) => header!.indexOf(n));
    const listed = rows.map((row) => starts.map((s, i) => row.slice(s, starts[i + 1] ?? row.length).trim()).join(' | ')).sort();
    const served = SERVED.map((d) =>
      [d.resource, d.shortNames.join(','), d.apiVersion, String(d.namespaced), d.kind, [...d.verbs].sort().join(','), d.categories.join(',')].join(' | '),
    );
    // The access reviews are create-only and stored nowhere, as Kubernetes lists them.
    const reviews = reviewDiscovery().map((d) => [d.name, '', AUTHORIZATION_API_VERSION, 'false', d.kind, 'create', ''].join(' | '));
    expect(listed).toEqual([...served, ...reviews].sort());
    expect(listed).toContain('namespaces | ns | v1 | false | Namespace | create,delete,get,list,patch,update,watch | ');
    expect(listed).toContain('serviceaccounts | sa | v1 | true | ServiceAccount | create,delete,deletecollection,get,list,patch,update,watch | ');
    expect(listed).toContain('persistentvolumeclaims | pvc | v1 | true | PersistentVolumeClaim | create,delete,deletecollection,get,list,patch,update,watch | ');
  });

  it('can list every resource it lists', async () => {
    for (const d of SERVED) {
      const name = d.group ? `${d.resource}.${d.version}.${d.group}` : d.resource;
      const r = await rt.kubectl(['get', name, ...(d.namespaced ? ['-A'] : []), '-o', 'name']);
      expect(r.stderr, name).not.toMatch(/error/i);
      expect(r.code, name).toBe(0);
    }
  });
});

describe('streams to pods on simulated nodes', () => {
  beforeAll(async () => {
    const r = await rt.kubectl(['run', 'quiet', '--image', 'nginx:1']);
    expect(r.code).toBe(0);
    await eventually(async () => (await rt.kubectl(['get', 'pod', 'quiet', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', { what: 'the pod Running' });
  }, 30_000);

  const node = async () => (await rt.kubectl(['get', 'pod', 'quiet', '-o', 'jsonpath={.spec.nodeName}'])).stdout;

  it('kubectl exec and attach say why they cannot work there', async () => {
    const n = await node();
    const exec = await rt.kubectl(['exec', 'quiet', '--', 'ls']);
    expect(exec.code).toBe(1);
    expect(exec.stderr.trim()).toBe(`Error from server (BadRequest): pod quiet runs on simulated node ${n}: its containers are not processes, so there is nothing to exec into`);
    const attach = await rt.kubectl(['attach', 'quiet']);
    // kubectl attach prints its prompt hint first.
    expect(attach.stderr.trim().split('\n').at(-1)).toBe(`Error from server (BadRequest): pod quiet runs on simulated node ${n}: its containers are not processes, so there is nothing to attach to`);
    const wrong = await rt.kubectl(['exec', 'quiet', '-c', 'nope', '--', 'ls']);
    expect(wrong.stderr.trim()).toBe('Error from server (BadRequest): container nope is not valid for pod quiet');
  });

  it('kubectl port-forward says why it cannot work there', async () => {
    const pf = await rt.kubectl(['port-forward', '--address', '127.0.0.1', 'pod/quiet', ':80'], { timeoutMs: 20_000 });
    expect(pf.code).toBe(1);
    expect(pf.stderr.trim()).toBe(`error: error upgrading connection: pod quiet runs on simulated node ${await node()}: its containers are not processes, so there is no port to forward to`);
  });

  it('kubectl logs -f says why there is nothing to follow; plain logs are empty', async () => {
    const follow = await rt.kubectl(['logs', '-f', 'quiet'], { timeoutMs: 20_000 });
    expect(follow.code).toBe(1);
    expect(follow.stderr.trim()).toBe(`Error from server (BadRequest): pod quiet runs on simulated node ${await node()}: its containers are not processes, so there is no log to follow`);
    const plain = await rt.kubectl(['logs', 'quiet']);
    expect(plain).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('a pod not yet bound has no host to stream from', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nowhere' }, spec: { nodeSelector: { absent: 'yes' }, containers: [{ name: 'c', image: 'nginx:1' }] } };
    expect((await rt.kubectl(['create', '-f', '-'], { input: JSON.stringify(pod) })).code).toBe(0);
    const exec = await rt.kubectl(['exec', 'nowhere', '--', 'ls']);
    expect(exec.stderr.trim()).toBe('Error from server (BadRequest): pod nowhere does not have a host assigned');
  });
});
