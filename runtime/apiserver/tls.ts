/**
 * The credentials of a state directory, as kind and k3s keep them: a private CA, a serving
 * certificate it signs, and one bearer token. The first start generates them; later starts reuse
 * them, regenerating only what is missing, broken, mismatched, about to expire, or (for the
 * serving certificate) issued for other host names.
 *
 * Keys are ECDSA P-256, as k3s uses (node's native keygen, ~1 ms, where RSA-2048 took ~300 ms);
 * certificates are written as DER here and signed natively (ecdsa-with-SHA256). Private keys are
 * stored as PKCS#8 PEM. Credentials from older state directories (RSA keys, PKCS#1 PEM, signed
 * sha256WithRSAEncryption) are still reused while valid, and an RSA CA still signs new serving
 * certificates. A resume costs a few file reads and two native X.509 parses.
 *
 * Files (all mode 0600, each written atomically): ca.crt, ca.key, server.crt, server.key, token.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Credentials {
  caCertPem: string;
  /** The serving certificate. */
  certPem: string;
  /** The serving certificate's private key. */
  keyPem: string;
  /** The bearer token clients present (`Authorization: Bearer <token>`). */
  token: string;
  /** What this call generated (empty on a plain resume); the CA implies the serving cert. */
  generated: Array<'ca' | 'server' | 'token'>;
}

export interface CredentialOptions {
  /** Extra names or IPs the serving certificate must be valid for (beyond 127.0.0.1 and localhost). */
  hosts?: string[];
  /** The clock, for tests. */
  now?: Date;
}

export const CA_COMMON_NAME = 'kite-ca';
export const SERVER_COMMON_NAME = 'kite-apiserver';
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
const SERVER_VALIDITY_MS = 365 * DAY_MS;
/** Renew what expires within this window. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Backdate notBefore a little, like kubeadm, so a slightly slow clock elsewhere accepts it. */
const BACKDATE_MS = 5 * 60 * 1000;

const FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key', token: 'token' } as const;

const generateKeyPairAsync = promisify(generateKeyPair);

/** Load the state directory's credentials, generating whatever is missing or no longer fit. */
export async function loadOrCreateCredentials(stateDir: string, opts: CredentialOptions = {}): Promise<Credentials> {
  const now = opts.now ?? new Date();
  const sans = servingSans(opts.hosts ?? []);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const [caCertPem, caKeyPem, certPem, keyPem, tokenText] = await Promise.all(
    [FILES.caCert, FILES.caKey, FILES.cert, FILES.key, FILES.token].map((f) => readOptional(join(stateDir, f))),
  );

  const ca = caCertPem && caKeyPem ? usableCa(caCertPem, caKeyPem, now) : undefined;
  const server = ca && certPem && keyPem && usableServing(certPem, keyPem, ca.cert, sans, now) ? { certPem, keyPem } : undefined;
  const token = tokenText?.trim() || undefined;
  const generated: Credentials['generated'] = [];
  // Written together: whatever a crash leaves half-replaced fails the checks above next time.
  const writes: Array<[file: string, content: string]> = [];

  let out: { caCertPem: string; certPem: string; keyPem: string };
  if (ca && server) {
    out = { caCertPem: ca.pem, ...server };
  } else {
    const [caKey, serverKey] = await Promise.all([ca ? undefined : newEcKey(), newEcKey()]);
    let caPem: string;
    let issuer: Issuer;
    if (ca) {
      caPem = ca.pem;
      issuer = issuerOf(ca.cert, ca.key);
    } else {
      caPem = issueCa(caKey!, now);
      writes.push([FILES.caKey, caKey!.privatePem], [FILES.caCert, caPem]);
      generated.push('ca');
      issuer = issuerOf(new X509Certificate(caPem), caKey!.private);
    }
    const servingPem = issueServing(serverKey, issuer, sans, now);
    writes.push([FILES.key, serverKey.privatePem], [FILES.cert, servingPem]);
    generated.push('server');
    out = { caCertPem: caPem, certPem: servingPem, keyPem: serverKey.privatePem };
  }

  let tokenOut = token;
  if (!tokenOut) {
    tokenOut = randomBytes(32).toString('base64url');
    writes.push([FILES.token, tokenOut + '\n']);
    generated.push('token');
  }
  await Promise.all(writes.map(([file, content]) => writeSecret(join(stateDir, file), content)));
  return { ...out, token: tokenOut, generated };
}

export interface KubeconfigOptions {
  /** `https://127.0.0.1:PORT` */
  server: string;
  caCertPem: string;
  token: string;
  /** Name of the context (default `kite-local`); the cluster and user are always `kite-local`. */
  contextName?: string;
  /** File name inside the state directory (default `kubeconfig`). */
  fileName?: string;
}

/** Write `stateDir/kubeconfig` (mode 0600, atomically) and return its path. */
export async function writeKubeconfig(stateDir: string, opts: KubeconfigOptions): Promise<string> {
  const contextName = opts.contextName ?? 'kite-local';
  // Written by hand (no YAML library on `kite up`'s path); every scalar is quoted when in doubt.
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: kite-local',
    '    cluster:',
    `      server: ${scalar(opts.server)}`,
    `      certificate-authority-data: ${Buffer.from(opts.caCertPem).toString('base64')}`,
    'users:',
    '  - name: kite-local',
    '    user:',
    `      token: ${scalar(opts.token)}`,
    'contexts:',
    `  - name: ${scalar(contextName)}`,
    '    context:',
    '      cluster: kite-local',
    '      user: kite-local',
    '      namespace: default',
    `current-context: ${scalar(contextName)}`,
    'preferences: {}',
    '',
  ].join('\n');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, opts.fileName ?? 'kubeconfig');
  await writeSecret(path, text);
  return path;
}

/** A YAML scalar: plain when unambiguous, else a JSON string (valid YAML double-quoted). */
function scalar(s: string): string {
  const plain = /^[A-Za-z0-9_][A-Za-z0-9._/=+-]*(:[A-Za-z0-9._/=+-]+)*$/.test(s) || /^https?:\/\/[A-Za-z0-9._:[\]/-]+$/.test(s);
  const special = /^(true|false|yes|no|y|n|on|off|null|~|[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$/i.test(s);
  return plain && !special ? s : JSON.stringify(s);
}


// ---- checks on reuse -------------------------------------------------------------------------

function usableCa(pem: string, keyPem: string, now: Date): { pem: string; cert: X509Certificate; key: KeyObject } | undefined {
  try {
    const cert = new X509Certificate(pem);
    const key = createPrivateKey(keyPem);
    if (key.asymmetricKeyType !== 'ec' && key.asymmetricKeyType !== 'rsa') return undefined; // signatureAlgorithm()
    if (!cert.ca || !cert.checkPrivateKey(key)) return undefined;
    if (!cert.verify(cert.publicKey)) return undefined;
    if (Date.parse(cert.validTo) - now.getTime() < RENEW_BEFORE_MS) return undefined;
    return { pem, cert, key };
  } catch {
    return undefined;
  }
}

function usableServing(pem: string, keyPem: string, ca: X509Certificate, sans: Sans, now: Date): boolean {
  try {
    const cert = new X509Certificate(pem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    if (Date.parse(cert.validFrom) > now.getTime() + BACKDATE_MS) return false;
    if (Date.parse(cert.validTo) - now.getTime() < RENEW_BEFORE_MS) return false;
    return sameSans(parseSubjectAltName(cert.subjectAltName ?? ''), sans);
  } catch {
    return false;
  }
}

interface Sans {
  dns: string[];
  /** Each as 16 bytes (IPv4 mapped), hex, so spellings of one address compare equal. */
  ips: string[];
  /** The IPs as given, for the certificate. */
  ipText: string[];
}

function servingSans(hosts: string[]): Sans {
  const dns = new Set<string>(['localhost']);
  const ips = new Map<string, string>([[ipKey('127.0.0.1')!, '127.0.0.1']]);
  for (const raw of hosts) {
    const h = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (!h) continue;
    const key = ipKey(h);
    if (key) {
      if (!ips.has(key)) ips.set(key, h);
    } else dns.add(h.toLowerCase());
  }
  return { dns: [...dns].sort(), ips: [...ips.keys()].sort(), ipText: [...ips.values()] };
}

/** node prints `DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1`. */
function parseSubjectAltName(text: string): Sans {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of text.split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4).replace(/^"|"$/g, '').toLowerCase());
    else if (part.startsWith('IP Address:')) {
      const key = ipKey(part.slice(11));
      if (key) ips.push(key);
      else return { dns: [], ips: ['unparseable'], ipText: [] };
    }
  }
  return { dns: [...new Set(dns)].sort(), ips: [...new Set(ips)].sort(), ipText: [] };
}

function sameSans(a: Sans, b: Sans): boolean {
  return a.dns.join(',') === b.dns.join(',') && a.ips.join(',') === b.ips.join(',');
}

/** 16-byte hex form of an IPv4 or IPv6 address; undefined if `s` is not an IP. */
function ipKey(s: string): string | undefined {
  const v = isIP(s);
  if (v === 4) return '00000000000000000000ffff' + Buffer.from(s.split('.').map(Number)).toString('hex');
  if (v !== 6) return undefined;
  let text = s.split('%')[0]!;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    text = text.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
  const words = groups.map((g) => parseInt(g, 16));
  if (tail.length) words.splice(6, 2, ...tail);
  return Buffer.from(words.flatMap((w) => [w >> 8, w & 0xff])).toString('hex');
}

// ---- issuing ---------------------------------------------------------------------------------
//
// Certificates are plain DER, written here: the handful of X.509 structures kite issues do not
// justify a library (node-forge's certificate API is RSA-only, and importing it costs ~35 ms).

interface NewKey {
  private: KeyObject;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privatePem: string;
  /** The SubjectPublicKeyInfo, DER, embedded as is in the certificate. */
  spki: Buffer;
}

/** What a serving certificate needs from the CA that signs it. */
interface Issuer {
  /** The CA certificate's subject Name, DER, byte for byte (chain building compares raw bytes). */
  subject: Buffer;
  /** The CA's subjectKeyIdentifier, for the authorityKeyIdentifier. */
  keyId: Buffer;
  key: KeyObject;
  notAfter: number;
}

async function newEcKey(): Promise<NewKey> {
  const { publicKey, privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
  return {
    private: privateKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
} as const;

/** KeyUsage bits (RFC 5280 §4.2.1.3). */
const KU = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

function issueCa(key: NewKey, now: Date): string {
  const name = commonName(CA_COMMON_NAME);
  return certificate({
    issuer: name,
    subject: name,
    notBefore: now.getTime() - BACKDATE_MS,
    notAfter: now.getTime() + CA_VALIDITY_MS,
    spki: key.spki,
    signer: key.private,
    extensions: [
      extension(OID.basicConstraints, true, seq(tlv(0x01, Buffer.from([0xff])))),
      extension(OID.keyUsage, true, bitString([KU.digitalSignature, KU.keyCertSign, KU.cRLSign])),
      extension(OID.subjectKeyIdentifier, false, tlv(0x04, keyIdOf(key.spki))),
    ],
  });
}

function issueServing(key: NewKey, ca: Issuer, sans: Sans, now: Date): string {
  const names = [
    ...sans.dns.map((d) => tlv(0x82, Buffer.from(d, 'utf8'))), // dNSName [2] IA5String
    ...sans.ipText.map((ip) => tlv(0x87, ipBytes(ip))), // iPAddress [7] OCTET STRING
  ];
  return certificate({
    issuer: ca.subject,
    subject: commonName(SERVER_COMMON_NAME),
    notBefore: now.getTime() - BACKDATE_MS,
    notAfter: Math.min(now.getTime() + SERVER_VALIDITY_MS, ca.notAfter),
    spki: key.spki,
    signer: ca.key,
    extensions: [
      extension(OID.basicConstraints, true, seq()), // cA FALSE is the DEFAULT, so omitted in DER
      extension(OID.keyUsage, true, bitString([KU.digitalSignature])),
      extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
      extension(OID.subjectKeyIdentifier, false, tlv(0x04, keyIdOf(key.spki))),
      extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, ca.keyId))), // keyIdentifier [0]
      extension(OID.subjectAltName, false, seq(...names)),
    ],
  });
}

/** The issuer facts of a CA certificate (kite's own, or an RSA one from an older state directory). */
function issuerOf(cert: X509Certificate, key: KeyObject): Issuer {
  const der = cert.raw;
  const tbs = children(der, children(der, readTlv(der, 0))[0]!);
  const at = tbs[0]!.tag === 0xa0 ? 1 : 0; // [0] version, absent in v1
  const subject = tbs[at + 4]!;
  const spki = tbs[at + 5]!;
  let keyId: Buffer | undefined;
  const exts = tbs.find((t) => t.tag === 0xa3);
  if (exts) {
    const skiOid = oid(OID.subjectKeyIdentifier);
    for (const ext of children(der, children(der, exts)[0]!)) {
      const [id, ...rest] = children(der, ext);
      if (!id || !der.subarray(id.start, id.end).equals(skiOid)) continue;
      const value = rest[rest.length - 1]!; // extnValue OCTET STRING, holding an OCTET STRING
      const inner = readTlv(der, value.body);
      if (inner.tag === 0x04) keyId = der.subarray(inner.body, inner.end);
    }
  }
  return {
    subject: Buffer.from(der.subarray(subject.start, subject.end)),
    keyId: keyId ? Buffer.from(keyId) : keyIdOf(der.subarray(spki.start, spki.end)),
    key,
    notAfter: Date.parse(cert.validTo),
  };
}

/** RFC 5280's method 1: SHA-1 of the subjectPublicKey BIT STRING's bits (what Go and forge use). */
function keyIdOf(spki: Buffer): Buffer {
  const bits = children(spki, readTlv(spki, 0))[1]!;
  return createHash('sha1').update(spki.subarray(bits.body + 1, bits.end)).digest();
}

function certificate(o: {
  issuer: Buffer;
  subject: Buffer;
  notBefore: number;
  notAfter: number;
  spki: Buffer;
  signer: KeyObject;
  extensions: Buffer[];
}): string {
  const algorithm = signatureAlgorithm(o.signer);
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // [0] EXPLICIT version v3
    tlv(0x02, serialNumber()),
    algorithm,
    o.issuer,
    seq(time(o.notBefore), time(o.notAfter)),
    o.subject,
    o.spki,
    tlv(0xa3, seq(...o.extensions)), // [3] EXPLICIT extensions
  );
  // ECDSA: node's default DER (r, s) signature is X.509's Ecdsa-Sig-Value; RSA: PKCS#1 v1.5.
  const signature = sign('sha256', tbs, o.signer);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function signatureAlgorithm(key: KeyObject): Buffer {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return seq(oid(OID.ecdsaWithSha256)); // parameters absent (RFC 5758)
    case 'rsa':
      return seq(oid(OID.sha256WithRsa), tlv(0x05, Buffer.alloc(0))); // parameters NULL
    default:
      throw new Error(`unsupported CA key type ${key.asymmetricKeyType}`);
  }
}

function serialNumber(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0]! % 0x7f) + 1; // positive, minimally encoded DER INTEGER
  return b;
}

function commonName(cn: string): Buffer {
  return seq(tlv(0x31, seq(oid(OID.commonName), tlv(0x0c, Buffer.from(cn, 'utf8'))))); // UTF8String
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

/** A DER named-bit-list BIT STRING: trailing zero bits dropped, the unused count says how many. */
function bitString(bits: number[]): Buffer {
  const top = Math.max(...bits);
  const bytes = Buffer.alloc((top >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return tlv(0x03, Buffer.from([7 - (top & 7)]), bytes);
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5); whole seconds. */
function time(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace(/[-T:]/g, ''); // YYYYMMDDHHMMSS
  const year = Number(d.slice(0, 4));
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(d.slice(2) + 'Z', 'latin1')) : tlv(0x18, Buffer.from(d + 'Z', 'latin1'));
}

function ipBytes(ip: string): Buffer {
  return isIP(ip) === 4 ? Buffer.from(ip.split('.').map(Number)) : Buffer.from(ipKey(ip)!, 'hex');
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [a * 40 + b];
  for (const v of rest) {
    const groups = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) groups.unshift((x & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function seq(...parts: Buffer[]): Buffer {
  return tlv(0x30, ...parts);
}

/** One DER TLV (single-byte tag, definite length). */
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}

interface Tlv {
  tag: number;
  start: number;
  /** Where the contents begin. */
  body: number;
  end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at];
  let len = der[at + 1];
  if (tag === undefined || len === undefined || (tag & 0x1f) === 0x1f) throw new Error('bad DER');
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[body++]!;
  }
  const end = body + len;
  if (end > der.length) throw new Error('truncated DER');
  return { tag, start: at, body, end };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; at = out[out.length - 1]!.end) out.push(readTlv(der, at));
  return out;
}

// ---- files -----------------------------------------------------------------------------------

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Write via a fresh 0600 temp file (fchmod: whatever the umask) and rename, so readers never see a partial file. */
async function writeSecret(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(tmp, 'wx', 0o600);
    try {
      await file.chmod(0o600);
      await file.writeFile(content);
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** SHA-256 fingerprint of a PEM certificate, `AB:CD:…`, for logs. */
export function fingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
