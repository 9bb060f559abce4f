import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bearerTokenMatches } from '../../../runtime/http/bearer-token.ts';
import { loadOrCreateCredentials, writeKubeconfig, type Credentials } from '../../../runtime/apiserver/tls.ts';

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
    expect(ca.publicKey.asymmetricKeyType).toBe('ec');
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
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
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

    // Private keys are PKCS#8 PEM and match their certificates.
    for (const [f, x] of [['ca.key', ca], ['server.key', cert]] as const) {
      const pem = await readFile(join(dir, f), 'utf8');
      expect(pem, f).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
      expect(x.checkPrivateKey(createPrivateKey(pem)), f).toBe(true);
    }
    expect(c.keyPem).toBe(await readFile(join(dir, 'server.key'), 'utf8'));

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

describe('the certificates, byte for byte', () => {
  it('are X.509 v3, ecdsa-with-SHA256, with the extensions Go and OpenSSL expect', async () => {
    const c = await loadOrCreateCredentials(await stateDir(), { hosts: ['kite.internal', '10.1.2.3', '::1'] });
    const ca = new X509Certificate(c.caCertPem);
    const cert = new X509Certificate(c.certPem);
    const caKeyId = keyId(ca);
    const certKeyId = keyId(cert);
    const ECDSA_SHA256 = '300a06082a8648ce3d040302'; // AlgorithmIdentifier, parameters absent
    for (const x of [ca, cert]) {
      const hex = x.raw.toString('hex');
      expect(hex).toMatch(/^3082[0-9a-f]{4}3082[0-9a-f]{4}a003020102/); // Certificate, TBSCertificate, [0] version v3
      expect(hex.split(ECDSA_SHA256)).toHaveLength(3); // in the TBS and around the signature
      expect(x.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/); // 16 bytes, positive
    }
    const caHex = ca.raw.toString('hex');
    expect(caHex).toContain('300f0603551d130101ff040530030101ff'); // basicConstraints critical, cA TRUE
    expect(caHex).toContain('300e0603551d0f0101ff040403020186'); // keyUsage critical: digitalSignature, keyCertSign, cRLSign
    expect(caHex).toContain('301d0603551d0e04160414' + caKeyId); // subjectKeyIdentifier
    expect(caHex).not.toContain('0603551d23'); // no authorityKeyIdentifier on the self-signed CA

    const hex = cert.raw.toString('hex');
    expect(hex).toContain('300c0603551d130101ff04023000'); // basicConstraints critical, cA FALSE
    expect(hex).toContain('300e0603551d0f0101ff040403020780'); // keyUsage critical: digitalSignature
    expect(hex).toContain('30130603551d25040c300a06082b06010505070301'); // extKeyUsage serverAuth
    expect(hex).toContain('301d0603551d0e04160414' + certKeyId);
    expect(hex).toContain('301f0603551d23041830168014' + caKeyId); // authorityKeyIdentifier = the CA's key id
    expect(hex).toContain(
      '0603551d11' + // subjectAltName
        '043a' + '3038' + // OCTET STRING { SEQUENCE OF GeneralName }
        '820d' + Buffer.from('kite.internal').toString('hex') +
        '8209' + Buffer.from('localhost').toString('hex') +
        '87047f000001' + // 127.0.0.1
        '87040a010203' + // 10.1.2.3
        '8710' + '00000000000000000000000000000001', // ::1
    );
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('kite.internal')).toBe('kite.internal');
    expect(cert.checkHost('other.internal')).toBeUndefined();
    expect(cert.checkIssued(ca)).toBe(true);
    expect(ca.checkIssued(cert)).toBe(false);
    expect(cert.verify(cert.publicKey)).toBe(false);
    expect(cert.subject).toBe('CN=kite-apiserver');
    expect(cert.issuer).toBe('CN=kite-ca');
  });

  it('switch to GeneralizedTime for dates from 2050 on', async () => {
    const now = new Date('2045-03-04T05:06:07.890Z');
    const dir = await stateDir();
    const c = await loadOrCreateCredentials(dir, { now });
    const ca = new X509Certificate(c.caCertPem);
    expect(new Date(ca.validFrom).toISOString()).toBe('2045-03-04T05:01:07.000Z');
    expect(ca.raw.toString('latin1')).toContain('450304050107Z'); // UTCTime
    expect(new Date(ca.validTo).getUTCFullYear()).toBe(2055);
    expect(ca.raw.toString('latin1')).toMatch(/\x18\x0f2055\d{10}Z/); // GeneralizedTime
    const cert = new X509Certificate(c.certPem);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(new Date(cert.validTo).toISOString()).toBe('2046-03-04T05:06:07.000Z');
    expect((await loadOrCreateCredentials(dir, { now })).generated).toEqual([]);
  });
});

describe('credentials from older state directories (RSA)', () => {
  it('are reused while valid, PKCS#1 keys and all', async () => {
    const dir = await stateDir();
    const legacy = await writeLegacyRsaState(dir);
    const c = await loadOrCreateCredentials(dir);
    expect(c.generated).toEqual([]);
    expect(c).toMatchObject({ caCertPem: legacy.caCertPem, certPem: legacy.certPem, keyPem: legacy.keyPem, token: legacy.token });
    expect(c.keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it('keep an RSA CA, which signs a new ECDSA serving certificate (sha256WithRSAEncryption) when the hosts change', async () => {
    for (const caSki of [true, false]) {
      const dir = await stateDir();
      const legacy = await writeLegacyRsaState(dir, { caSki });
      const c = await loadOrCreateCredentials(dir, { hosts: ['kite.example'] });
      expect(c.generated).toEqual(['server']);
      expect(c.caCertPem).toBe(legacy.caCertPem);
      expect(c.token).toBe(legacy.token);
      expect(c.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const ca = new X509Certificate(c.caCertPem);
      const cert = new X509Certificate(c.certPem);
      expect(ca.publicKey.asymmetricKeyType).toBe('rsa');
      expect(cert.publicKey.asymmetricKeyType).toBe('ec');
      expect(cert.raw.toString('hex')).toContain('300d06092a864886f70d01010b0500'); // sha256WithRSAEncryption, NULL
      expect(cert.raw.toString('hex')).toContain('301f0603551d23041830168014' + keyId(ca)); // matches the CA's key id
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.issuer).toBe('CN=kite-ca');
      expect(sans(c.certPem)).toEqual(['DNS:kite.example', 'DNS:localhost', 'IP Address:127.0.0.1']);
      expect((await loadOrCreateCredentials(dir, { hosts: ['kite.example'] })).generated).toEqual([]);
      await expectKubectlAccepts(dir, c);
    }
  });

  it('are replaced entirely, with ECDSA, when the RSA CA nears expiry', async () => {
    const dir = await stateDir();
    const legacy = await writeLegacyRsaState(dir);
    const c = await loadOrCreateCredentials(dir, { now: new Date(Date.now() + (10 * 365 - 20) * DAY) });
    expect(c.generated).toEqual(['ca', 'server']);
    expect(c.token).toBe(legacy.token);
    expect(new X509Certificate(c.caCertPem).publicKey.asymmetricKeyType).toBe('ec');
  });
});

describe('with Go’s TLS stack (the real kubectl) and @kubernetes/client-node', () => {
  it('kubectl verifies the ECDSA chain for 127.0.0.1, localhost and an extra IPv6 SAN', async () => {
    const dir = await stateDir();
    const c = await loadOrCreateCredentials(dir, { hosts: ['::1'] });
    const ipv6 = Object.values(networkInterfaces()).some((as) => as?.some((a) => a.address === '::1'));
    await expectKubectlAccepts(dir, c, ['127.0.0.1', 'localhost', ...(ipv6 ? ['[::1]'] : [])]);
  });

  it('kubectl rejects the serving certificate for a host it was not issued for', async () => {
    const dir = await stateDir();
    const c = await loadOrCreateCredentials(dir);
    await withVersionServer(c, async (port) => {
      const kubeconfig = await writeKubeconfig(dir, { server: `https://127.0.0.2:${port}`, caCertPem: c.caCertPem, token: c.token });
      const r = await kubectl(dir, ['--kubeconfig', kubeconfig, 'get', '--raw', '/version']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/certificate is valid for .*127\.0\.0\.1.*not 127\.0\.0\.2|x509/);
    }, '127.0.0.2');
  });

  it('kubectl rejects a server whose certificate another CA signed', async () => {
    const dir = await stateDir();
    const c = await loadOrCreateCredentials(dir);
    const other = await loadOrCreateCredentials(await stateDir());
    await withVersionServer(other, async (port) => {
      const kubeconfig = await writeKubeconfig(dir, { server: `https://127.0.0.1:${port}`, caCertPem: c.caCertPem, token: c.token });
      const r = await kubectl(dir, ['--kubeconfig', kubeconfig, 'get', '--raw', '/version']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/x509: certificate signed by unknown authority/);
    });
  });

  it('@kubernetes/client-node reads /version with verification on', async () => {
    const dir = await stateDir();
    const c = await loadOrCreateCredentials(dir);
    await withVersionServer(c, async (port) => {
      const k8s = await import('@kubernetes/client-node');
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(await writeKubeconfig(dir, { server: `https://127.0.0.1:${port}`, caCertPem: c.caCertPem, token: c.token }));
      expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
      expect((await kc.makeApiClient(k8s.VersionApi).getCode()).gitVersion).toBe(VERSION.gitVersion);
    });
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


// ---- helpers -----------------------------------------------------------------------------------

/** The certificate's public key id, as RFC 5280 method 1 computes it (SHA-1 of the key's bits). */
function keyId(x: X509Certificate): string {
  const spki = x.publicKey.export({ type: 'spki', format: 'der' });
  // SubjectPublicKeyInfo = SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip to the BIT STRING.
  let at = spki[1]! & 0x80 ? 2 + (spki[1]! & 0x7f) : 2;
  at += 2 + spki[at + 1]!; // the AlgorithmIdentifier is short
  const lenByte = spki[at + 1]!;
  const body = at + 2 + (lenByte & 0x80 ? lenByte & 0x7f : 0);
  return createHash('sha1').update(spki.subarray(body + 1)).digest('hex');
}

/**
 * A state directory as the RSA implementation wrote it (RSA-2048, PKCS#1 PEM keys, certificates
 * built by node-forge with the same fields), to prove those are still accepted.
 */
async function writeLegacyRsaState(dir: string, opts: { caSki?: boolean } = {}): Promise<Omit<Credentials, 'generated'>> {
  const forge = (await import('node-forge')).default;
  const rsa = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  const caKey = rsa();
  const serverKey = rsa();
  const now = Date.now();
  const issue = (publicPem: string, fill: (c: import('node-forge').pki.Certificate) => void, signerPem: string, days: number) => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
    cert.serialNumber = '01' + Buffer.from(Array.from({ length: 15 }, (_, i) => (i * 37 + now) & 0xff)).toString('hex');
    cert.validity.notBefore = new Date(now - 5 * 60 * 1000);
    cert.validity.notAfter = new Date(now + days * DAY);
    fill(cert);
    cert.sign(forge.pki.privateKeyFromPem(signerPem), forge.md.sha256.create());
    return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
  };
  const caCertPem = issue(
    caKey.publicKey,
    (cert) => {
      cert.setSubject([{ name: 'commonName', value: 'kite-ca' }]);
      cert.setIssuer([{ name: 'commonName', value: 'kite-ca' }]);
      cert.setExtensions([
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true },
        ...(opts.caSki === false ? [] : [{ name: 'subjectKeyIdentifier' }]),
      ]);
    },
    caKey.privateKey,
    10 * 365,
  );
  const ca = forge.pki.certificateFromPem(caCertPem);
  const certPem = issue(
    serverKey.publicKey,
    (cert) => {
      cert.setSubject([{ name: 'commonName', value: 'kite-apiserver' }]);
      cert.setIssuer(ca.subject.attributes);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ]);
    },
    caKey.privateKey,
    365,
  );
  const token = 'legacy-token-' + now;
  const files: Record<string, string> = { 'ca.crt': caCertPem, 'ca.key': caKey.privateKey, 'server.crt': certPem, 'server.key': serverKey.privateKey, token: token + '\n' };
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text, { mode: 0o600 });
  return { caCertPem, certPem, keyPem: serverKey.privateKey, token };
}

const VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' };

/** An HTTPS server with the credentials that answers `/version` to the bearer token. */
async function withVersionServer(c: Pick<Credentials, 'certPem' | 'keyPem' | 'token'>, fn: (port: number) => Promise<void>, host = '127.0.0.1'): Promise<void> {
  const server = https.createServer({ cert: c.certPem, key: c.keyPem }, (req, res) => {
    if (!bearerTokenMatches(req.headers.authorization, c.token)) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(VERSION));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

function kubectl(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, HOME: home, KUBECONFIG: '' };
  return new Promise((resolve) => {
    execFile('kubectl', args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** kubectl (Go's crypto/x509 and crypto/tls) connects to each host with verification on. */
async function expectKubectlAccepts(dir: string, c: Credentials, hosts = ['127.0.0.1', 'localhost']): Promise<void> {
  await withVersionServer(c, async (port) => {
    for (const host of hosts) {
      const kubeconfig = await writeKubeconfig(dir, { server: `https://${host}:${port}`, caCertPem: c.caCertPem, token: c.token });
      const r = await kubectl(dir, ['--kubeconfig', kubeconfig, 'get', '--raw', '/version']);
      expect(r.stderr, host).toBe('');
      expect(r.code, host).toBe(0);
      expect(JSON.parse(r.stdout), host).toEqual(VERSION);
    }
  }, hosts.includes('[::1]') ? '::' : '127.0.0.1');
}
