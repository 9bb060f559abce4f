/**
 * Legacy auth-providers: a still-valid oidc id-token is used as the bearer token; an expired one,
 * and the removed gcp and azure providers, are errors naming the exec plugin that replaces them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeconfigError, loadKubeconfig, type KubeTarget } from '../../lib/kube/index.ts';
import { kubeconfigFor } from './exec-plugin.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-authp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function jwt(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2lnbmF0dXJl`;
}

async function load(user: Record<string, unknown>): Promise<KubeTarget | KubeconfigError> {
  const path = join(dir, 'config');
  await writeFile(path, kubeconfigFor({ server: 'https://api.example:6443', user }));
  return loadKubeconfig({ kubeconfig: path });
}

const oidc = (config: Record<string, string>) => ({ 'auth-provider': { name: 'oidc', config: { 'idp-issuer-url': 'https://issuer.example', 'client-id': 'kite', ...config } } });

describe('auth-provider', () => {
  it('uses an oidc id-token that has not expired', async () => {
    const token = jwt({ sub: 'jane', exp: Math.floor(Date.now() / 1000) + 3600 });
    const t = await load(oidc({ 'id-token': token, 'refresh-token': 'r' }));
    if (t instanceof KubeconfigError) throw t;
    expect(t.auth).toBe('auth-provider');
    expect((await t.connection()).headers.authorization).toBe(`Bearer ${token}`);
  });

  it('an expired or missing oidc id-token says to refresh it or use kubelogin', async () => {
    const path = join(dir, 'config');
    const expired = await load(oidc({ 'id-token': jwt({ exp: 1_700_000_000 }) }));
    expect((expired as Error).message).toBe(
      `user "u" in ${path} uses the "oidc" auth-provider, but its id-token expired at 2023-11-14T22:13:20.000Z; kite does not refresh oidc tokens: refresh it with kubectl, or switch to an exec credential plugin such as kubelogin (\`kubectl oidc-login\`)`,
    );
    expect(((await load(oidc({}))) as Error).message).toMatch(/uses the "oidc" auth-provider, but has no id-token; kite does not refresh/);
    expect(((await load(oidc({ 'id-token': 'opaque' }))) as Error).message).toMatch(/but its id-token is not a JWT;/);
  });

  it('gcp and azure were removed from Kubernetes clients: the error says which command writes the exec plugin', async () => {
    const gcp = await load({ 'auth-provider': { name: 'gcp', config: { 'access-token': 'ya29', 'cmd-path': '/usr/bin/gcloud' } } });
    expect(gcp).toBeInstanceOf(KubeconfigError);
    expect((gcp as Error).message).toMatch(/uses the "gcp" auth-provider, which Kubernetes clients no longer support \(removed in 1\.26\): install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` again/);
    const azure = await load({ 'auth-provider': { name: 'azure', config: {} } });
    expect((azure as Error).message).toMatch(/uses the "azure" auth-provider, .* run `kubelogin convert-kubeconfig`/);
    expect(((await load({ 'auth-provider': { name: 'openstack' } })) as Error).message).toMatch(/uses the "openstack" auth-provider, which kite does not support: use an exec credential plugin instead$/);
  });

  it('exec and auth-provider together is a kubeconfig error', async () => {
    const both = await load({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Never' }, ...oidc({}) });
    expect((both as Error).message).toMatch(/has both an exec plugin and an auth-provider; only one is allowed$/);
  });
});
