import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bearerTokenMatches, loadOrCreateCredentials, writeKubeconfig, type Credentials } from '../../../runtime/apiserver/tls.ts';

const dirs: string[] = [];
async function stateDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kite-tls-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const DAY = 24 * 60 * 60 * 1000;
const FILES = ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'token'];

function sans(pem: string): string[] {
  return (new X509Certificate(pem).subjectAltName ?? '').split(/,\s*/).sort();
}

describe('loadOrCreateCredentials', () => {
  it('generates a CA, a serving certificate it signs, and a token, all mode 0600', async () => {
    const dir = await stateDir();
    const t0 = performance.now();
    const c = await loadOrCreateCredentials(dir);
    const firstMs = performance.now() - t0;
    expect(c.generated).toEqual(['ca', 'server', 'token']);

    const ca = new X509Certificate(c.caCertPem);
    expect(ca.subject).toBe('CN=kite-ca');
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const caYears = (Date.parse(ca.validTo) - Date.now()) / (365 * DAY);
    expect(caYears).toBeGreaterThan(9.9);
    expect(caYears).toBeLessThan(10.1);

    const cert = new X509Certificate(c.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(sans(c.certPem)).toEqual(['DNS:localhost', 'IP Address:127.0.0.1']);
    const certDays = (Date.parse(cert.validTo) - Date.now()) / DAY;
    expect(certDays).toBeGreaterThan(364);
    expect(certDays).toBeLessThan(366);
    expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(Date.now());
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');

    expect(Buffer.from(c.token, 'base64url')).toHaveLength(32);
    expect(c.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    for (const f of FILES) expect((await stat(join(dir, f))).mode & 0o777, f).toBe(0o600);
    expect((await readFile(join(dir, 'token'), 'utf8')).trim()).toBe(c.token);
    expect((await readdir(dir)).sort()).toEqual([...FILES].sort()); // no temp files left behind
    expect(firstMs).toBeLessThan(10_000);
  });

  it('reuses everything on later starts, fast', async () => {
    const dir = await stateDir();
    const first = await loadOrCreateCredentials(dir, { hosts: ['kite.internal', '10.1.2.3', '::1'] });
    const t0 = performance.now();
    const again = await loadOrCreateCredentials(dir, { hosts: ['KITE.internal', '0:0:0:0:0:0:0:1', '10.1.2.3'] });
    const resumeMs = performance.now() - t0;
    expect(again.generated).toEqual([]);
    expect(strip(again)).toEqual(strip(first));
    expect(sans(first.certPem)).toEqual(['DNS:kite.internal', 'DNS:localhost', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:10.1.2.3', 'IP Address:127.0.0.1']);
    expect(resumeMs).toBeLessThan(200);
  });

  it('reissues only the serving certificate when the host names change', async () => {
    const dir = await stateDir();
    const first = await loadOrCreateCredentials(dir);
    const second = await loadOrCreateCredentials(dir, { hosts: ['kite.example'] });
    expect(second.generated).toEqual(['server']);
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.token).toBe(first.token);
    expect(second.keyPem).not.toBe(first.keyPem);
    expect(sans(second.certPem)).toContain('DNS:kite.example');
    expect(new X509Certificate(second.certPem).verify(new X509Certificate(first.caCertPem).publicKey)).toBe(true);
  });

  it('reissues the serving certificate within 30 days of expiry, and everything but the token near the CA expiry', async () => {
    const dir = await stateDir();
    const first = await loadOrCreateCredentials(dir);
    const at = (days: number) => new Date(Date.now() + days * DAY);
    expect((await loadOrCreateCredentials(dir, { now: at(300) })).generated).toEqual([]);
    const renewed = await loadOrCreateCredentials(dir, { now: at(340) });
    expect(renewed.generated).toEqual(['server']);
    expect(renewed.caCertPem).toBe(first.caCertPem);
    expect(Date.parse(new X509Certificate(renewed.certPem).validTo)).toBeGreaterThan(at(700).getTime());

    const late = await loadOrCreateCredentials(dir, { now: at(10 * 365 - 20) });
    expect(late.generated).toEqual(['ca', 'server']);
    expect(late.token).toBe(first.token);
    // A serving certificate never outlives its CA.
    expect(Date.parse(new X509Certificate(late.certPem).validTo)).toBeLessThanOrEqual(Date.parse(new X509Certificate(late.caCertPem).validTo));
  });

  it('repairs a damaged or mismatched state directory', async () => {
    const dir = await stateDir();
    const first = await loadOrCreateCredentials(dir);
    await writeFile(join(dir, 'server.key'), 'garbage');
    const fixed = await loadOrCreateCredentials(dir);
    expect(fixed.generated).toEqual(['server']);
    expect(fixed.caCertPem).toBe(first.caCertPem);

    // A serving cert from another CA is not trusted.
    const other = await loadOrCreateCredentials(await stateDir());
    await writeFile(join(dir, 'server.crt'), other.certPem);
    await writeFile(join(dir, 'server.key'), other.keyPem);
    expect((await loadOrCreateCredentials(dir)).generated).toEqual(['server']);

    await rm(join(dir, 'token'));
    const t = await loadOrCreateCredentials(dir);
    expect(t.generated).toEqual(['token']);
    expect(t.token).not.toBe(first.token);

    await rm(join(dir, 'ca.key'));
    expect((await loadOrCreateCredentials(dir)).generated).toEqual(['ca', 'server']);
  });

  it('serves TLS that node verifies against the CA for 127.0.0.1 and localhost', async () => {
    const c = await loadOrCreateCredentials(await stateDir());
    const server = https.createServer({ cert: c.certPem, key: c.keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const servername of [undefined, 'localhost']) {
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port, path: '/', ca: c.caCertPem, rejectUnauthorized: true, ...(servername ? { servername } : {}) }, (res) => {
              let b = '';
              res.on('data', (d) => (b += d));
              res.on('end', () => resolve(b));
            })
            .on('error', reject);
        });
        expect(body).toBe('ok');
      }
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('writeKubeconfig', () => {
  it('writes a 0600 kubeconfig, atomically, with cluster, user and context kite-local', async () => {
    const dir = await stateDir();
    const c = await loadOrCreateCredentials(dir);
    await writeFile(join(dir, 'kubeconfig'), 'old');
    await chmod(join(dir, 'kubeconfig'), 0o644);
    const path = await writeKubeconfig(dir, { server: 'https://127.0.0.1:6443', caCertPem: c.caCertPem, token: c.token });
    expect(path).toBe(join(dir, 'kubeconfig'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const doc = parse(await readFile(path, 'utf8'));
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kite-local', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(c.caCertPem).toString('base64') } }],
      users: [{ name: 'kite-local', user: { token: c.token } }],
      contexts: [{ name: 'kite-local', context: { cluster: 'kite-local', user: 'kite-local', namespace: 'default' } }],
      'current-context': 'kite-local',
      preferences: {},
    });
    await writeKubeconfig(dir, { server: 'https://127.0.0.1:7000', caCertPem: c.caCertPem, token: c.token, contextName: 'dev' });
    const again = parse(await readFile(path, 'utf8'));
    expect(again['current-context']).toBe('dev');
    expect(again.contexts[0].name).toBe('dev');
    expect(again.clusters[0].cluster.server).toBe('https://127.0.0.1:7000');
  });

  it('quotes whatever YAML would misread', async () => {
    const dir = await stateDir();
    for (const name of ['true', 'no', '1.32', '-dash', 'a: b', 'x #y', 'it\'s "quoted"', '', 'ünï', 'kite-local', '0x1F']) {
      for (const token of ['-starts-with-dash', 'plain_Token-123', '12345']) {
        const path = await writeKubeconfig(dir, { server: 'https://[::1]:6443', caCertPem: 'CA', token, contextName: name });
        const doc = parse(await readFile(path, 'utf8'));
        expect(doc['current-context'], name).toBe(name);
        expect(doc.contexts[0].name, name).toBe(name);
        expect(doc.users[0].user.token, token).toBe(token);
        expect(doc.clusters[0].cluster.server).toBe('https://[::1]:6443');
      }
    }
  });
});

describe('bearerTokenMatches', () => {
  it('compares the Authorization header to the token', () => {
    expect(bearerTokenMatches('Bearer abc', 'abc')).toBe(true);
    expect(bearerTokenMatches('bearer abc', 'abc')).toBe(true);
    expect(bearerTokenMatches('Bearer abd', 'abc')).toBe(false);
    expect(bearerTokenMatches('Bearer abcd', 'abc')).toBe(false);
    expect(bearerTokenMatches('Basic abc', 'abc')).toBe(false);
    expect(bearerTokenMatches(undefined, 'abc')).toBe(false);
  });
});

function strip(c: Credentials): Omit<Credentials, 'generated'> {
  const { generated: _g, ...rest } = c;
  return rest;
}
