// The serviceaccounts controller and root-ca-cert-publisher on a real registry, and the
// ServiceAccount admission plugin's wait for a namespace's default account.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../../lib/api/model.ts';
import { StatusError } from '../../../lib/api/status.ts';
import { startControllers, type RunningControllers } from '../../../runtime/controllers/index.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { pod } from './helpers.ts';

const CA = '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n';
let cp: TestControlPlane | undefined;
let controllers: RunningControllers | undefined;

afterEach(async () => {
  await controllers?.stop();
  await cp?.close();
  controllers = cp = undefined;
});

async function start() {
  cp = await startControlPlane({ serviceAccountAdmission: true });
  controllers = startControllers(cp.client, { controllers: ['serviceaccount', 'root-ca-cert-publisher'], caCertPem: CA });
  return cp.client;
}

describe('per-namespace objects', () => {
  it('makes the default ServiceAccount and kube-root-ca.crt in every namespace, and repairs an edited CA', async () => {
    const client = await start();
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    for (const ns of ['default', 'kube-system', 'team']) {
      await eventually(() => client.get('serviceaccounts', ns, 'default'), { what: `${ns}/default` });
      const cm = await eventually(() => client.get('configmaps', ns, 'kube-root-ca.crt'), { what: `${ns}/kube-root-ca.crt` });
      expect(cm.data).toEqual({ 'ca.crt': CA });
    }
    const cm = client.get('configmaps', 'team', 'kube-root-ca.crt')!;
    await client.update('configmaps', { ...cm, data: { 'ca.crt': 'tampered' } });
    await eventually(() => (client.get('configmaps', 'team', 'kube-root-ca.crt') as ConfigMap | undefined)?.data?.['ca.crt'] === CA, { what: 'the CA put back' });
  });
});

describe('ServiceAccount admission', () => {
  it('waits for the default account of a new namespace, then admits the pod', async () => {
    cp = await startControlPlane({ serviceAccountAdmission: true });
    const client = cp.client;
    // No controller yet: the pod waits for the account.
    const created = client.create('pods', 'default', pod('early', {}));
    let settled = false;
    void created.finally(() => (settled = true)).catch(() => {});
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await client.create('serviceaccounts', 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    expect((await created).spec.serviceAccountName).toBe('default');
  });

  it('refuses at once a pod naming another missing account', async () => {
    cp = await startControlPlane({ serviceAccountAdmission: true });
    const started = Date.now();
    const e = await cp.client.create('pods', 'default', pod('p', {}, { serviceAccountName: 'ghost' })).catch((x: unknown) => x);
    expect(e instanceof StatusError && e.code).toBe(403);
    expect((e as Error).message).toBe('pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
