import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeApiError,
  KubeClient,
  KubeconfigError,
  KubeNoMatchError,
  KubeUnreachableError,
  isAlreadyExists,
  isNotFound,
  loadKubeconfig,
  type KubeTarget,
  type WatchEvent,
} from '../../lib/kube/index.ts';
import { loadOrCreateCredentials, writeKubeconfig, type Credentials } from '../../runtime/apiserver/tls.ts';
import { Peer, VERSION, sendJson, status } from './peer.ts';

let dir: string;
let creds: Credentials;
let peer: Peer;
let kubeconfig: string;
const clients: KubeClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-kube-'));
  creds = await loadOrCreateCredentials(dir);
  peer = await Peer.start(creds);
  kubeconfig = await writeKubeconfig(dir, { server: peer.url, caCertPem: creds.caCertPem, token: creds.token });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await peer.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  peer.clearRoutes();
  peer.aggregated = false;
  peer.brokenGroup = false;
  peer.requests.length = 0;
});

function target(path = kubeconfig): KubeTarget {
  const t = loadKubeconfig({ kubeconfig: path });
  if (t instanceof KubeconfigError) throw t;
  return t;
}

function client(t: KubeTarget = target(), opts: ConstructorParameters<typeof KubeClient>[1] = {}): KubeClient {
  const c = new KubeClient(t, opts);
  clients.push(c);
  return c;
}

const CM = { apiVersion: 'v1', kind: 'ConfigMap' } as const;

describe('KubeClient over TLS with the bearer token', () => {
  it('reads /version, verifying the server against the kubeconfig CA, over one kept-alive connection', async () => {
    const kube = client();
    const before = peer.connections;
    expect(await kube.version()).toEqual(VERSION);
    await kube.version();
    await kube.version();
    expect(peer.connections - before).toBe(1);
    expect(peer.requests.map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${creds.token}`));
    expect(peer.requests[0]!.headers['user-agent']).toMatch(/^kite/);
  });

  it('turns a wrong token into a 401 KubeApiError', async () => {
    const wrong = await writeKubeconfig(join(dir, 'wrong'), { server: peer.url, caCertPem: creds.caCertPem, token: 'not-the-token' });
    const e = await client(target(wrong)).version().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KubeApiError);
    expect(e).toMatchObject({ code: 401, reason: 'Unauthorized', message: 'Unauthorized', method: 'GET', path: '/version', causes: [] });
    expect(peer.requests).toHaveLength(1); // a static token is not retried
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const otherDir = join(dir, 'other-ca');
    const other = await loadOrCreateCredentials(otherDir);
    const path = await writeKubeconfig(otherDir, { server: peer.url, caCertPem: other.caCertPem, token: creds.token });
    const e = await client(target(path)).version().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KubeUnreachableError);
    expect((e as KubeUnreachableError).message).toMatch(/TLS verification failed/);
    expect(peer.requests).toHaveLength(0);
  });

  it('names the server and suggests `kite up` when the local server is down', async () => {
    const port = await freePort();
    const path = await writeKubeconfig(join(dir, 'down'), { server: `https://127.0.0.1:${port}`, caCertPem: creds.caCertPem, token: creds.token });
    const e = await client(target(path)).version().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KubeUnreachableError);
    expect(e).toMatchObject({ code: 'ECONNREFUSED', server: `https://127.0.0.1:${port}` });
    expect((e as Error).message).toBe(`cannot reach the Kubernetes API server at https://127.0.0.1:${port}: connection refused; is kite running? start it with \`kite up\``);
  });
});

describe('discovery', () => {
  it('walks legacy discovery into a resource table, once per client', async () => {
    peer.brokenGroup = true;
    const kube = client();
    const table = await kube.discover();
    expect(table.forKind('', 'v1', 'Pod')).toMatchObject({ plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], subresources: ['status'], apiVersion: 'v1', preferred: true });
    expect(table.forKind('', 'v1', 'Namespace')).toMatchObject({ plural: 'namespaces', namespaced: false });
    expect(table.forKind('apps', 'v1', 'Deployment')).toMatchObject({ plural: 'deployments', subresources: ['scale'], verbs: expect.arrayContaining(['patch', 'watch']) });
    expect(table.failed).toEqual([{ groupVersion: 'metrics.k8s.io/v1beta1', error: 'the server is currently unable to handle the request' }]);
    expect(table.lookup('po')?.kind).toBe('Pod');
    expect(table.lookup('Deployment')?.apiVersion).toBe('apps/v1');
    expect(table.lookup('deploy')?.plural).toBe('deployments');
    expect(table.lookup('deployments.apps')?.kind).toBe('Deployment');
    expect(table.lookup('deployments.v1.apps')?.kind).toBe('Deployment');
    expect(table.lookup('pods.apps')).toBeUndefined();
    expect(table.lookup('nothing')).toBeUndefined();
    const n = peer.requests.length;
    expect(n).toBe(5); // /api, /apis, /api/v1, /apis/apps/v1, /apis/metrics.k8s.io/v1beta1
    await kube.discover();
    await kube.get(CM, 'default', 'x').catch(() => undefined);
    expect(peer.requests.length).toBe(n + 1); // only the GET
  });

  it("knows an object's resource without waiting once discovery has finished: what resourceFor finds", async () => {
    const kube = client();
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
    expect(kube.knownResource(deployment)).toBeUndefined(); // nothing discovered yet: resourceFor decides
    await kube.discover();
    expect(kube.knownResource(deployment)).toBe(await kube.resourceFor(deployment));
    expect(kube.knownResource({ apiVersion: 'v1', kind: 'Pod' })).toMatchObject({ plural: 'pods', namespaced: true });
    expect(kube.knownResource({ apiVersion: 'v1', kind: 'Deployment' })).toBeUndefined();
    expect(kube.knownResource({ apiVersion: 'example.com/v9', kind: 'Widget' })).toBeUndefined();
  });

  it('uses aggregated discovery when the server offers it', async () => {
    peer.aggregated = true;
    const table = await client().discover();
    expect(peer.requests.map((r) => r.path).sort()).toEqual(['/api', '/apis']);
    expect(table.forKind('', 'v1', 'Pod')).toMatchObject({ plural: 'pods', namespaced: true, subresources: ['status'], shortNames: ['po'], categories: ['all'] });
    expect(table.forKind('apps', 'v1', 'Deployment')?.plural).toBe('deployments');
    expect(table.lookup('widgets')).toMatchObject({ apiVersion: 'example.com/v2', namespaced: false, preferred: true });
    expect(table.lookup('widgets.v1.example.com')).toMatchObject({ apiVersion: 'example.com/v1', preferred: false });
  });

  it('re-discovers once for an unknown kind, then reports no match', async () => {
    const kube = client();
    await kube.discover();
    peer.requests.length = 0;
    const e = await kube.get({ apiVersion: 'example.com/v1', kind: 'Gadget' }, undefined, 'g').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KubeNoMatchError);
    expect((e as Error).message).toBe(`no matches for kind "Gadget" in version "example.com/v1" on ${peer.url}`);
    expect(peer.requests.map((r) => r.path)).toContain('/api/v1');
  });
});

describe('reads and writes', () => {
  it('gets namespaced objects in the context namespace and cluster objects without one', async () => {
    peer.route('GET', '/api/v1/namespaces/default/configmaps/app', (_r, res) => sendJson(res, 200, { ...CM, metadata: { name: 'app', namespace: 'default' }, data: { a: '1' } }));
    peer.route('GET', '/api/v1/namespaces/kube-system', (_r, res) => sendJson(res, 200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }));
    const kube = client();
    expect(await kube.get(CM, undefined, 'app')).toMatchObject({ data: { a: '1' } });
    expect(await kube.get({ group: '', version: 'v1', kind: 'Namespace' }, 'ignored', 'kube-system')).toMatchObject({ metadata: { name: 'kube-system' } });
    const e = await kube.get(CM, 'default', 'missing').catch((x: unknown) => x);
    expect(isNotFound(e)).toBe(true);
  });

  it('lists with selectors and pages through continue tokens', async () => {
    peer.route('GET', '/api/v1/configmaps', (r, res) => {
      const page = r.query.get('continue') ?? '0';
      const next = page === '0' ? '1' : page === '1' ? '2' : undefined;
      sendJson(res, 200, {
        apiVersion: 'v1',
        kind: 'ConfigMapList',
        metadata: { resourceVersion: page === '0' ? '100' : '101', ...(next ? { continue: next } : {}) },
        items: [{ metadata: { name: `cm-${page}` } }],
      });
    });
    const kube = client();
    const first = await kube.list(CM, { labelSelector: 'app=shop,tier!=db', fieldSelector: 'metadata.name!=x', limit: 1 });
    expect(first.metadata).toEqual({ resourceVersion: '100', continue: '1' });
    const q = peer.requests.at(-1)!.query;
    expect(Object.fromEntries(q)).toEqual({ labelSelector: 'app=shop,tier!=db', fieldSelector: 'metadata.name!=x', limit: '1' });
    const all = await kube.listAll(CM, { pageSize: 1 });
    expect(all.items.map((i) => i.metadata.name)).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(all.metadata.resourceVersion).toBe('100');
    await kube.list(CM, { namespace: 'shop' }).catch(() => undefined);
    expect(peer.requests.at(-1)!.path).toBe('/api/v1/namespaces/shop/configmaps');
  });

  it('asks for server-side Tables', async () => {
    peer.route('GET', '/api/v1/namespaces', (r, res) =>
      sendJson(res, 200, { apiVersion: 'meta.k8s.io/v1', kind: 'Table', metadata: {}, columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: '', priority: 0 }], rows: [{ cells: ['default'] }], accept: r.headers.accept }),
    );
    const table = await client().list({ apiVersion: 'v1', kind: 'Namespace' }, { table: true, includeObject: 'None' });
    expect(peer.requests.at(-1)!.headers.accept).toBe('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json');
    expect(peer.requests.at(-1)!.query.get('includeObject')).toBe('None');
    expect(table).toMatchObject({ kind: 'Table', rows: [{ cells: ['default'] }] });
  });

  it('creates, replaces, patches (all four types) and deletes with the right verbs, paths and content types', async () => {
    const echo = (code: number) => (r: { body: string }, res: import('node:http').ServerResponse) => sendJson(res, code, JSON.parse(r.body || '{}'));
    peer.route('POST', '/api/v1/namespaces/shop/configmaps', echo(201));
    peer.route('PUT', '/api/v1/namespaces/default/configmaps/app', echo(200));
    peer.route('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', (r, res) => sendJson(res, 200, { kind: 'Deployment', patched: r.body }));
    peer.route('DELETE', '/api/v1/namespaces/shop/configmaps/app', (_r, res) => sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'app', kind: 'configmaps' } }));
    const kube = client();
    const obj = { ...CM, metadata: { name: 'app', namespace: 'shop' }, data: { k: 'v' } };
    expect(await kube.create(obj, { fieldManager: 'kite', dryRun: true })).toEqual(obj);
    let r = peer.requests.at(-1)!;
    expect(r.headers['content-type']).toBe('application/json');
    expect(Object.fromEntries(r.query)).toEqual({ dryRun: 'All', fieldManager: 'kite' });

    await kube.replace({ ...CM, metadata: { name: 'app', resourceVersion: '7' }, data: {} });
    expect(JSON.parse(peer.requests.at(-1)!.body).metadata.resourceVersion).toBe('7');

    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment' };
    const cases = [
      ['merge', { spec: { replicas: 2 } }, 'application/merge-patch+json', {}],
      ['strategic', { spec: { replicas: 3 } }, 'application/strategic-merge-patch+json', {}],
      ['json', [{ op: 'replace', path: '/spec/replicas', value: 4 }], 'application/json-patch+json', {}],
      ['apply', { ...deploy, metadata: { name: 'web' }, spec: { replicas: 5 } }, 'application/apply-patch+yaml', { fieldManager: 'kite', force: 'true' }],
    ] as const;
    for (const [type, body, contentType, query] of cases) {
      const out = await kube.patch(deploy, 'shop', 'web', type, body, type === 'apply' ? { force: true } : {});
      r = peer.requests.at(-1)!;
      expect(r.headers['content-type'], type).toBe(contentType);
      expect(JSON.parse(r.body), type).toEqual(body);
      expect(Object.fromEntries(r.query), type).toEqual(query);
      expect((out as unknown as { patched: string }).patched).toBe(r.body);
    }

    const del = await kube.delete(CM, 'shop', 'app', { propagationPolicy: 'Foreground', preconditions: { uid: 'u-1', resourceVersion: '9' } });
    expect(del).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(JSON.parse(peer.requests.at(-1)!.body)).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: 'u-1', resourceVersion: '9' } });
  });

  it('surfaces Status failures with reason and causes', async () => {
    peer.route('POST', '/api/v1/namespaces/default/configmaps', (r, res) => {
      const name = JSON.parse(r.body).metadata.name as string;
      if (name === 'exists') return sendJson(res, 409, status(409, 'AlreadyExists', 'configmaps "exists" already exists', { name, kind: 'configmaps' }));
      sendJson(
        res,
        422,
        status(422, 'Invalid', `ConfigMap "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of ...`, {
          name,
          kind: 'ConfigMap',
          causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${name}"`, field: 'metadata.name' }],
        }),
      );
    });
    peer.route('GET', '/api/v1/namespaces/default/configmaps/boom', (_r, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    const kube = client();
    const exists = await kube.create({ ...CM, metadata: { name: 'exists' } }).catch((x: unknown) => x);
    expect(isAlreadyExists(exists)).toBe(true);
    expect(exists).toMatchObject({ code: 409, reason: 'AlreadyExists', details: { name: 'exists', kind: 'configmaps' } });

    const invalid = (await kube.create({ ...CM, metadata: { name: 'Bad_Name' } }).catch((x: unknown) => x)) as KubeApiError;
    expect(invalid).toBeInstanceOf(KubeApiError);
    expect(invalid.code).toBe(422);
    expect(invalid.reason).toBe('Invalid');
    expect(invalid.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "Bad_Name"', field: 'metadata.name' }]);
    expect(invalid.message).toMatch(/^ConfigMap "Bad_Name" is invalid/);

    const proxy = (await kube.get(CM, 'default', 'boom').catch((x: unknown) => x)) as KubeApiError;
    expect(proxy).toMatchObject({ code: 502, reason: 'BadGateway', status: undefined });
    expect(proxy.message).toBe('GET /api/v1/namespaces/default/configmaps/boom: 502 BadGateway: <html>bad gateway</html>');
  });

  it('retries a 429 after its Retry-After', async () => {
    let calls = 0;
    peer.route('GET', '/api/v1/namespaces/default/configmaps/busy', (_r, res) => {
      if (++calls < 3) return sendJson(res, 429, status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 0 }), { 'retry-after': '0' });
      sendJson(res, 200, { ...CM, metadata: { name: 'busy' } });
    });
    expect(await client().get(CM, 'default', 'busy')).toMatchObject({ metadata: { name: 'busy' } });
    expect(calls).toBe(3);
    calls = -10;
    const e = await client(target(), { maxRetries: 1 }).get(CM, 'default', 'busy').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 429, reason: 'TooManyRequests' });
  });

  it('skips discovery when the ref carries plural and scope', async () => {
    peer.route('GET', '/apis/example.com/v1/gadgets/g', (_r, res) => sendJson(res, 200, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }));
    await client().get({ apiVersion: 'example.com/v1', kind: 'Gadget', plural: 'gadgets', namespaced: false }, undefined, 'g');
    expect(peer.requests.map((r) => r.path)).toEqual(['/apis/example.com/v1/gadgets/g']);
  });
});

describe('watch', () => {
  const POD = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;
  const ev = (type: string, name: string, extra: object = {}) => JSON.stringify({ type, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, resourceVersion: '5' }, ...extra } }) + '\n';

  it('delivers events in order across chunk boundaries (mid-line, mid-UTF-8), then ends', async () => {
    let cont!: () => void;
    const continued = new Promise<void>((r) => (cont = r));
    peer.route('GET', '/api/v1/namespaces/shop/pods', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const second = Buffer.from(ev('MODIFIED', 'web', { note: 'héllo → 世界' }));
      const cut = second.indexOf(Buffer.from('世')) + 1; // inside a 3-byte character
      res.write(Buffer.concat([Buffer.from(ev('ADDED', 'web')), second.subarray(0, cut)]));
      await continued; // the client has handled the first event, so the rest arrives in a later chunk
      res.write(second.subarray(cut));
      res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '9' } } }) + '\n' + ev('DELETED', 'web'));
      res.end(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 1 (5)') })); // no trailing newline
    });
    const events: WatchEvent[] = [];
    const w = client().watch(POD, { namespace: 'shop', resourceVersion: '4', allowWatchBookmarks: true, labelSelector: 'app=web', timeoutSeconds: 30 }, (e) => {
      events.push(e);
      if (events.length === 1) cont();
    });
    await w.done;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'BOOKMARK', 'DELETED', 'ERROR']);
    expect(events[1]!.object).toMatchObject({ note: 'héllo → 世界' });
    expect(events[4]!.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(Object.fromEntries(peer.requests.at(-1)!.query)).toEqual({ watch: 'true', resourceVersion: '4', allowWatchBookmarks: 'true', labelSelector: 'app=web', timeoutSeconds: '30' });
  });

  it('stop() ends the stream and resolves done', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => (closed = r));
    peer.route('GET', '/api/v1/pods', (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => closed());
      res.write(ev('ADDED', 'a'));
    });
    const seen: string[] = [];
    const w = client().watch(POD, {}, (e) => {
      seen.push(e.object.metadata.name!);
      w.stop();
    });
    await w.done;
    await serverSawClose;
    expect(seen).toEqual(['a']);
  });

  it('rejects done for a refused watch, a throwing handler and a lost connection', async () => {
    peer.route('GET', '/api/v1/namespaces/old/pods', (_r, res) => sendJson(res, 410, status(410, 'Expired', 'too old resource version')));
    const refused = await client().watch(POD, { namespace: 'old', resourceVersion: '1' }, () => {}).done.catch((x: unknown) => x);
    expect(refused).toMatchObject({ code: 410, reason: 'Expired' });
    expect(refused).toBeInstanceOf(KubeApiError);

    peer.route('GET', '/api/v1/namespaces/throw/pods', (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(ev('ADDED', 'x'));
    });
    const thrown = await client().watch(POD, { namespace: 'throw' }, () => {
      throw new Error('handler failed');
    }).done.catch((x: unknown) => x);
    expect((thrown as Error).message).toBe('handler failed');

    peer.route('GET', '/api/v1/namespaces/lost/pods', (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(ev('ADDED', 'x'), () => res.socket?.destroy());
    });
    const seen: string[] = [];
    const lost = await client().watch(POD, { namespace: 'lost' }, (e) => seen.push(e.type)).done.catch((x: unknown) => x);
    expect(lost).toBeInstanceOf(KubeUnreachableError);
    expect(seen).toEqual(['ADDED']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
