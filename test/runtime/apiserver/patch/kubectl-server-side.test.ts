/**
 * Server-side apply and field managers through the real kubectl 1.32 against a started runtime:
 * the move from client-side to server-side apply (kubectl's managedFields upgrade patch, the
 * last-applied manager and updater), co-owners, `diff --server-side`, and the managers of
 * writes that name none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../harness.ts';
import { rawHttp, type Send } from '../raw-http.ts';

let rt: TestRuntime;
let send: Send;

beforeAll(async () => {
  rt = await startTestRuntime();
  send = await rawHttp(rt);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

type Obj = Record<string, any>;

const configMap = (name: string, labels: Record<string, string>, data: Record<string, string> = { k: 'v' }) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(Object.keys(labels).length > 0 ? { labels } : {}) }, data });

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await rt.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function getObj(what: string): Promise<Obj> {
  return JSON.parse(await kubectl(['get', what, '-o', 'json', '--show-managed-fields'])) as Obj;
}

const managers = (o: Obj) => (o.metadata.managedFields ?? []).map((m: Obj) => `${m.operation}:${m.manager}`).sort();

describe('client-side apply, then server-side apply', () => {
  it('takes the fields over without a conflict, so a later server-side apply that drops a label removes it', async () => {
    expect(await kubectl(['apply', '-f', '-'], configMap('csa', { a: '1', b: '2' }))).toBe('configmap/csa created\n');
    expect(managers(await getObj('cm/csa'))).toEqual(['Update:kubectl-client-side-apply']);

    // A changed value the client-side apply set: no conflict with kubectl-client-side-apply.
    expect(await kubectl(['apply', '--server-side', '-f', '-'], configMap('csa', { a: '1', b: '2' }, { k: 'changed' }))).toBe('configmap/csa serverside-applied\n');
    const upgraded = await getObj('cm/csa');
    expect(upgraded.data).toEqual({ k: 'changed' });
    expect(managers(upgraded)).not.toContain('Update:kubectl-client-side-apply');
    expect(managers(upgraded)).toContain('Apply:kubectl');

    await kubectl(['apply', '--server-side', '-f', '-'], configMap('csa', { a: '1' }, { k: 'changed' }));
    expect((await getObj('cm/csa')).metadata.labels).toEqual({ a: '1' });
  });

  it('keeps the last-applied record in step, for `kubectl apply view-last-applied`', async () => {
    await kubectl(['apply', '-f', '-'], configMap('record', { a: '1' }));
    await kubectl(['apply', '--server-side', '-f', '-'], configMap('record', { a: '1' }, { k: 'server-side' }));
    const view = JSON.parse(await kubectl(['apply', 'view-last-applied', 'cm/record', '-o', 'json'])) as Obj;
    expect(view.data).toEqual({ k: 'server-side' });
    expect(view.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
  });

  it('diff --server-side: 0 when nothing would change, 1 with a difference, >1 on an error', async () => {
    await kubectl(['apply', '-f', '-'], configMap('differ', { a: '1' }));
    // Right after client-side apply, only the record would change: the server-side apply would
    // rewrite it as what it applies (client-side apply's record also lists `annotations: {}`).
    const first = await rt.kubectl(['diff', '--server-side', '-f', '-'], { input: configMap('differ', { a: '1' }) });
    expect(first.code).toBe(1);
    expect(first.stdout.split('\n').filter((l) => /^[-+] /.test(l))).toEqual([
      '-      {"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap","metadata":{"annotations":{},"labels":{"a":"1"},"name":"differ","namespace":"default"}}',
      '+      {"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap","metadata":{"labels":{"a":"1"},"name":"differ","namespace":"default"}}',
    ]);
    await kubectl(['apply', '--server-side', '-f', '-'], configMap('differ', { a: '1' }));
    const same = await rt.kubectl(['diff', '--server-side', '-f', '-'], { input: configMap('differ', { a: '1' }) });
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    const changed = await rt.kubectl(['diff', '--server-side', '-f', '-'], { input: configMap('differ', { a: '1' }, { k: 'other' }) });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+k: v$/m);
    expect(changed.stdout).toMatch(/^\+\s+k: other$/m);
    const broken = await rt.kubectl(['diff', '--server-side', '-f', '-'], { input: configMap('Bad_Name', {}) });
    expect(broken.code).toBeGreaterThan(1);
    // nothing was written
    expect((await getObj('cm/differ')).data).toEqual({ k: 'v' });
  });
});

describe('co-owners', () => {
  it('a second applier of the same value shares the field; when one drops it, it stays', async () => {
    await kubectl(['apply', '--server-side', '--field-manager=alice', '-f', '-'], configMap('shared', { team: 'x' }));
    await kubectl(['apply', '--server-side', '--field-manager=bob', '-f', '-'], configMap('shared', { team: 'x' }));
    const both = await getObj('cm/shared');
    const owners = both.metadata.managedFields.filter((m: Obj) => m.fieldsV1?.['f:metadata']?.['f:labels']?.['f:team']).map((m: Obj) => m.manager);
    expect(owners.sort()).toEqual(['alice', 'bob']);

    await kubectl(['apply', '--server-side', '--field-manager=alice', '-f', '-'], configMap('shared', {}));
    expect((await getObj('cm/shared')).metadata.labels).toEqual({ team: 'x' });
    await kubectl(['apply', '--server-side', '--field-manager=bob', '-f', '-'], configMap('shared', {}));
    expect((await getObj('cm/shared')).metadata.labels).toBeUndefined();
  });
});

describe('writes that name no field manager', () => {
  it('kubectl create records kubectl-create; a raw request is recorded by its User-Agent', async () => {
    await kubectl(['create', '-f', '-'], configMap('created', {}));
    expect(managers(await getObj('cm/created'))).toEqual(['Update:kubectl-create']);

    const r = await send('POST', '/api/v1/namespaces/default/configmaps', configMap('raw', {}), 'application/json', { 'User-Agent': 'foo/1.0' });
    expect(r.status).toBe(201);
    expect(managers(JSON.parse(r.body) as Obj)).toEqual(['Update:foo']);
  });

  it('a JSON patch of managedFields takes effect; [] clears them', async () => {
    await kubectl(['create', '-f', '-'], configMap('patched', { a: '1' }));
    const before = await getObj('cm/patched');
    const moved = before.metadata.managedFields.map((m: Obj) => ({ ...m, manager: 'new-owner', operation: 'Apply' }));
    await kubectl(['patch', 'cm/patched', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/metadata/managedFields', value: moved }])]);
    const after = await getObj('cm/patched');
    expect(managers(after)).toEqual(['Apply:new-owner']);
    expect(after.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);

    await kubectl(['patch', 'cm/patched', '--type=merge', '-p', '{"metadata":{"managedFields":[]}}']);
    expect((await getObj('cm/patched')).metadata.managedFields).toBeUndefined();
  });
});
