import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeconfigError, loadKubeconfig, type KubeTarget } from '../../lib/kube/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-kubeconfig-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CA = '-----BEGIN CERTIFICATE-----\nnot parsed here\n-----END CERTIFICATE-----\n';

function config(o: { clusters?: object[]; users?: object[]; contexts?: object[]; current?: string }): string {
  return stringify({ apiVersion: 'v1', kind: 'Config', clusters: o.clusters ?? [], users: o.users ?? [], contexts: o.contexts ?? [], 'current-context': o.current ?? '' });
}

async function file(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, text);
  return p;
}

function ok(t: KubeTarget | KubeconfigError): KubeTarget {
  if (t instanceof KubeconfigError) throw t;
  return t;
}

function err(t: KubeTarget | KubeconfigError): string {
  expect(t).toBeInstanceOf(KubeconfigError);
  return (t as KubeconfigError).message;
}

const two = config({
  clusters: [
    { name: 'kite-local', cluster: { server: 'https://127.0.0.1:6443/', 'certificate-authority-data': Buffer.from(CA).toString('base64') } },
    { name: 'prod', cluster: { server: 'https://prod.example:443', 'certificate-authority': 'certs/ca.crt', 'tls-server-name': 'api.prod', 'insecure-skip-tls-verify': false } },
  ],
  users: [
    { name: 'kite-local', user: { token: 'tok' } },
    { name: 'admin', user: { 'client-certificate': 'certs/admin.crt', 'client-key': 'certs/admin.key', as: 'jane', 'as-groups': ['devs', 'ops'] } },
  ],
  contexts: [
    { name: 'kite-local', context: { cluster: 'kite-local', user: 'kite-local', namespace: 'default' } },
    { name: 'prod', context: { cluster: 'prod', user: 'admin', namespace: 'shop' } },
    { name: 'broken', context: { cluster: 'nowhere', user: 'admin' } },
  ],
  current: 'kite-local',
});

describe('loadKubeconfig', () => {
  it('selects the current context: server, namespace, token, CA; marks the kite-local one', async () => {
    const path = await file('two/config', two);
    const t = ok(loadKubeconfig({ kubeconfig: path }));
    expect(t).toMatchObject({ context: 'kite-local', cluster: 'kite-local', user: 'kite-local', server: 'https://127.0.0.1:6443', namespace: 'default', auth: 'token', local: true, files: [path] });
    const conn = await t.connection();
    expect(conn.headers.authorization).toBe('Bearer tok');
    expect(conn.tls.ca?.toString()).toBe(CA);
    expect(conn.tls.rejectUnauthorized).toBe(true);
  });

  it('selects --context, resolving relative certificate paths against the kubeconfig', async () => {
    await file('two/certs/ca.crt', CA);
    await file('two/certs/admin.crt', 'CERT');
    await file('two/certs/admin.key', 'KEY');
    const path = await file('two/config', two);
    const t = ok(loadKubeconfig({ kubeconfig: path, context: 'prod' }));
    expect(t).toMatchObject({ context: 'prod', server: 'https://prod.example:443', namespace: 'shop', auth: 'client-certificate', local: false });
    const conn = await t.connection();
    expect(conn.tls).toEqual({ ca: Buffer.from(CA), cert: Buffer.from('CERT'), key: Buffer.from('KEY'), rejectUnauthorized: true, servername: 'api.prod' });
    expect(conn.headers).toEqual({ 'impersonate-user': 'jane', 'impersonate-group': ['devs', 'ops'] });
    expect(ok(loadKubeconfig({ kubeconfig: path, context: 'prod', namespace: 'other' })).namespace).toBe('other');
  });

  it('says what is wrong, as a value', async () => {
    const path = await file('two/config', two);
    expect(err(loadKubeconfig({ kubeconfig: join(dir, 'missing') }))).toBe(`no kubeconfig at ${join(dir, 'missing')}`);
    expect(err(loadKubeconfig({ kubeconfig: path, context: 'x' }))).toBe(`context "x" not found in ${path} (contexts: kite-local, prod, broken)`);
    expect(err(loadKubeconfig({ kubeconfig: path, context: 'broken' }))).toBe(`context "broken" refers to cluster "nowhere", which is not in ${path}`);
    const noCurrent = await file('nocurrent', config({ contexts: [{ name: 'a', context: { cluster: 'a' } }] }));
    expect(err(loadKubeconfig({ kubeconfig: noCurrent }))).toBe(`no current context in ${noCurrent}; pass --context (contexts: a)`);
    const bad = await file('bad.yaml', 'clusters: [\n');
    expect(err(loadKubeconfig({ kubeconfig: bad }))).toMatch(new RegExp(`^cannot parse kubeconfig ${bad}: `));
    const missingCa = await file(
      'missingca',
      config({ clusters: [{ name: 'c', cluster: { server: 'https://h', 'certificate-authority': 'nope.crt' } }], contexts: [{ name: 'c', context: { cluster: 'c' } }], current: 'c' }),
    );
    expect(err(loadKubeconfig({ kubeconfig: missingCa }))).toBe(`cannot read certificate-authority of cluster "c" in ${missingCa}: ${join(dir, 'nope.crt')}: ENOENT`);
    const noServer = await file('noserver', config({ clusters: [{ name: 'c', cluster: {} }], contexts: [{ name: 'c', context: { cluster: 'c' } }], current: 'c' }));
    expect(err(loadKubeconfig({ kubeconfig: noServer }))).toBe(`cluster "c" in ${noServer} has no server`);
    expect(err(loadKubeconfig({ env: {}, homeDir: join(dir, 'nohome') }))).toBe(`no kubeconfig at ${join(dir, 'nohome', '.kube', 'config')} (set $KUBECONFIG or pass --kubeconfig)`);
  });

  it('merges $KUBECONFIG files first-wins, skipping missing ones', async () => {
    const a = await file(
      'merge/a',
      config({
        clusters: [{ name: 'shared', cluster: { server: 'https://a.example' } }],
        users: [{ name: 'u', user: { token: 'from-a' } }],
        contexts: [{ name: 'ctx-a', context: { cluster: 'shared', user: 'u' } }],
      }),
    );
    const b = await file(
      'merge/b',
      config({
        clusters: [
          { name: 'shared', cluster: { server: 'https://b.example' } },
          { name: 'only-b', cluster: { server: 'https://only-b.example' } },
        ],
        users: [{ name: 'u', user: { token: 'from-b' } }],
        contexts: [{ name: 'ctx-b', context: { cluster: 'only-b', user: 'u', namespace: 'nb' } }],
        current: 'ctx-b',
      }),
    );
    const env = { KUBECONFIG: [join(dir, 'merge/missing'), a, b].join(delimiter) };
    const t = ok(loadKubeconfig({ env }));
    expect(t).toMatchObject({ context: 'ctx-b', server: 'https://only-b.example', namespace: 'nb', files: [a, b] });
    expect((await t.connection()).headers.authorization).toBe('Bearer from-a');
    expect(ok(loadKubeconfig({ env, context: 'ctx-a' })).server).toBe('https://a.example');
    expect(err(loadKubeconfig({ env: { KUBECONFIG: join(dir, 'merge/none') } }))).toBe(`no kubeconfig at ${join(dir, 'merge/none')} (from $KUBECONFIG)`);
  });

  it('falls back to ~/.kube/config, then to the in-cluster service account', async () => {
    const home = join(dir, 'home');
    await file('home/.kube/config', two);
    expect(ok(loadKubeconfig({ env: {}, homeDir: home })).context).toBe('kite-local');

    const sa = join(dir, 'sa');
    await file('sa/token', 'sa-token-1\n');
    await file('sa/ca.crt', CA);
    await file('sa/namespace', 'team-a');
    const t = ok(loadKubeconfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: join(dir, 'nohome'), serviceAccountDir: sa }));
    expect(t).toMatchObject({ context: 'in-cluster', server: 'https://10.96.0.1:443', namespace: 'team-a', auth: 'token-file', files: [] });
    const conn = await t.connection();
    expect(conn.headers.authorization).toBe('Bearer sa-token-1');
    expect(conn.tls.ca?.toString()).toBe(CA);
    // A rotated token is picked up after a 401.
    await file('sa/token', 'sa-token-2\n');
    expect(t.invalidate()).toBe(true);
    expect((await t.connection()).headers.authorization).toBe('Bearer sa-token-2');
  });

  it('supports basic auth, token files and insecure-skip-tls-verify', async () => {
    await file('tf/token.txt', 'from-file\n');
    const path = await file(
      'tf/config',
      config({
        clusters: [{ name: 'c', cluster: { server: 'https://h:6443', 'insecure-skip-tls-verify': true } }],
        users: [
          { name: 'tf', user: { tokenFile: 'token.txt' } },
          { name: 'basic', user: { username: 'admin', password: 's3cret' } },
        ],
        contexts: [
          { name: 'tf', context: { cluster: 'c', user: 'tf' } },
          { name: 'basic', context: { cluster: 'c', user: 'basic' } },
        ],
        current: 'tf',
      }),
    );
    const tf = ok(loadKubeconfig({ kubeconfig: path }));
    expect(tf.auth).toBe('token-file');
    const conn = await tf.connection();
    expect(conn.headers.authorization).toBe('Bearer from-file');
    expect(conn.tls.rejectUnauthorized).toBe(false);
    const basic = ok(loadKubeconfig({ kubeconfig: path, context: 'basic' }));
    expect(basic.auth).toBe('basic');
    expect((await basic.connection()).headers.authorization).toBe(`Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
  });
});
