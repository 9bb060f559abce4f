/**
 * The DNS server over real UDP and TCP sockets on loopback: answers from the zone, SERVFAIL
 * before the first zone, truncation of big UDP answers (TC, then the full answer over TCP),
 * names outside the zone forwarded to an upstream (a loopback DNS server this test runs),
 * ExternalName chased upstream; asked by `dig` where installed and by Node's resolver.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect, createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import * as packet from 'dns-packet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointSlice, Namespace, Service } from '../../../lib/api/model.ts';
import { ClusterZone } from '../../../runtime/dns/records.ts';
import { DnsResponder } from '../../../runtime/dns/responder.ts';
import { startDnsServer, type RunningDnsServer } from '../../../runtime/dns/server.ts';
import { UdpUpstream } from '../../../runtime/dns/upstream.ts';

const run = promisify(execFile);
const hasDig = await run('dig', ['-v']).then(
  () => true,
  () => false,
);

const ns = (name: string): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const HEADLESS_ENDPOINTS = 60;

function zone(): ClusterZone {
  const services: Service[] = [
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'test', name: 'my-database' }, spec: { clusterIP: '127.96.0.20', ports: [{ port: 5432, protocol: 'TCP' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'test', name: 'big' }, spec: { clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'test', name: 'external-database' }, spec: { type: 'ExternalName', externalName: 'database.company.com' } },
  ];
  const big: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'test', name: 'big-1', labels: { 'kubernetes.io/service-name': 'big' } },
    addressType: 'IPv4',
    endpoints: Array.from({ length: HEADLESS_ENDPOINTS }, (_, i) => ({ addresses: [`127.200.1.${i + 1}`], conditions: { ready: true } })),
    ports: [{ name: '', port: 80, protocol: 'TCP' }],
  };
  return new ClusterZone({ zone: 'cluster.local', serial: 1, namespaces: [ns('test')], services, slices: [big] });
}

/**
 * A loopback DNS server standing for the host's resolver, over UDP and TCP: `outside.example` A
 * 192.0.2.7, `database.company.com` A 192.0.2.9, `many.example` 60 A records (truncated over UDP).
 */
async function startUpstream(): Promise<{ socket: Socket; tcp: Server; port: number; asked: string[] }> {
  let socket = createSocket('udp4');
  const asked: string[] = [];
  const records: Record<string, string[]> = {
    'outside.example': ['192.0.2.7'],
    'database.company.com': ['192.0.2.9'],
    'many.example': Array.from({ length: 60 }, (_, i) => `192.0.2.${i + 10}`),
  };
  const answer = (msg: Buffer, overTcp: boolean): Buffer => {
    const q = packet.decode(msg);
    const question = q.questions![0]!;
    asked.push(question.name);
    const ips = records[question.name.toLowerCase()];
    const answers: packet.Answer[] = ips && question.type === 'A' ? ips.map((ip) => ({ type: 'A', name: question.name, ttl: 60, class: 'IN', data: ip })) : [];
    const full = packet.encode({ type: 'response', id: q.id ?? 0, flags: packet.RECURSION_AVAILABLE | (ips ? 0 : 3), questions: q.questions ?? [], answers });
    if (overTcp || full.length <= 512) return full;
    return packet.encode({ type: 'response', id: q.id ?? 0, flags: packet.RECURSION_AVAILABLE | packet.TRUNCATED_RESPONSE, questions: q.questions ?? [] });
  };
  const onMessage = (msg: Buffer, rinfo: { port: number; address: string }): void => void socket.send(answer(msg, false), rinfo.port, rinfo.address);
  socket.on('message', onMessage);
  const tcp = createServer((c) => {
    let buf = Buffer.alloc(0);
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      const out = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)), true);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(out.length);
      c.end(Buffer.concat([len, out]));
    });
    c.on('error', () => {});
  });
  // The kernel picks the UDP port; the same TCP port may already be taken by another process
  // (CI once): unbind and let it pick again.
  for (let attempt = 0; ; attempt++) {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const port = socket.address().port;
    const listened = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      tcp.once('error', resolve);
      tcp.listen(port, '127.0.0.1', () => {
        tcp.off('error', resolve);
        resolve(undefined);
      });
    });
    if (!listened) return { socket, tcp, port, asked };
    if (listened.code !== 'EADDRINUSE' || attempt >= 20) throw listened;
    // A dgram socket binds once: close it and start over with a fresh one.
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    socket = createSocket('udp4');
    socket.on('message', onMessage);
  }
}

/** What the tests look at in an answer (dns-packet's types leave out rcode, and OPT records have no data). */
interface Reply {
  id: number;
  rcode: string;
  flag_aa: boolean;
  flag_rd: boolean;
  flag_tc: boolean;
  answers: { type: string; data: unknown }[];
}

function toReply(p: packet.Packet): Reply {
  const d = p as packet.DecodedPacket & { rcode: string };
  return {
    id: d.id ?? 0,
    rcode: d.rcode,
    flag_aa: d.flag_aa,
    flag_rd: d.flag_rd,
    flag_tc: d.flag_tc,
    answers: (d.answers ?? []).map((a) => ({ type: a.type, data: 'data' in a ? a.data : undefined })),
  };
}

function udpQuery(port: number, name: string, type: packet.RecordType): Promise<Reply> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('message', (msg) => {
      socket.close();
      resolve(toReply(packet.decode(msg)));
    });
    socket.once('error', reject);
    socket.send(packet.encode({ type: 'query', id: 4242, flags: packet.RECURSION_DESIRED, questions: [{ type, class: 'IN', name }] }), port, '127.0.0.1');
  });
}

function tcpQuery(port: number, name: string, type: packet.RecordType): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(packet.streamEncode({ type: 'query', id: 7, flags: packet.RECURSION_DESIRED, questions: [{ type, class: 'IN', name }] })));
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.destroy();
        resolve(toReply(packet.streamDecode(buf)));
      }
    });
    s.on('error', reject);
  });
}

describe('DNS server', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let forwarder: UdpUpstream;
  let responder: DnsResponder;
  let server: RunningDnsServer;

  beforeEach(async () => {
    upstream = await startUpstream();
    forwarder = new UdpUpstream([{ address: '127.0.0.1', port: upstream.port }], 1000);
    responder = new DnsResponder(forwarder, 'cluster.local');
    server = await startDnsServer({ address: '127.0.0.1', port: 0, responder });
  });

  afterEach(async () => {
    await server.close();
    forwarder.close();
    upstream.socket.close();
    await new Promise((resolve) => upstream.tcp.close(resolve));
  });

  it('answers SERVFAIL for the zone before its first build, and forwards other names meanwhile', async () => {
    expect((await udpQuery(server.port, 'my-database.test.svc.cluster.local', 'A')).rcode).toBe('SERVFAIL');
    const outside = await udpQuery(server.port, 'outside.example', 'A');
    expect(outside.answers.map((a) => a.data)).toEqual(['192.0.2.7']);
  });

  it('answers over UDP and TCP with the ID asked, authoritative', async () => {
    responder.setZone(zone());
    const udp = await udpQuery(server.port, 'my-database.test.svc.cluster.local', 'A');
    expect(udp).toMatchObject({ id: 4242, rcode: 'NOERROR', flag_aa: true, flag_rd: true });
    expect(udp.answers.map((a) => a.data)).toEqual(['127.96.0.20']);
    // A second ask is served from the cache of encoded answers: same answer, its own ID.
    const again = await udpQuery(server.port, 'my-database.test.svc.cluster.local', 'A');
    expect(again.answers.map((a) => a.data)).toEqual(['127.96.0.20']);
    const tcp = await tcpQuery(server.port, 'my-database.test.svc.cluster.local', 'A');
    expect(tcp).toMatchObject({ id: 7, rcode: 'NOERROR' });
    expect(tcp.answers.map((a) => a.data)).toEqual(['127.96.0.20']);
  });

  it('a new zone replaces cached answers', async () => {
    responder.setZone(zone());
    expect((await udpQuery(server.port, 'gone.test.svc.cluster.local', 'A')).rcode).toBe('NXDOMAIN');
    responder.setZone(
      new ClusterZone({
        zone: 'cluster.local',
        serial: 2,
        namespaces: [ns('test')],
        services: [{ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'test', name: 'gone' }, spec: { clusterIP: '127.96.0.33', ports: [] } }],
        slices: [],
      }),
    );
    expect((await udpQuery(server.port, 'gone.test.svc.cluster.local', 'A')).answers.map((a) => a.data)).toEqual(['127.96.0.33']);
  });

  it('truncates a UDP answer over 512 bytes (TC, no records) and gives it whole over TCP', async () => {
    responder.setZone(zone());
    const udp = await udpQuery(server.port, 'big.test.svc.cluster.local', 'A');
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toEqual([]);
    const tcp = await tcpQuery(server.port, 'big.test.svc.cluster.local', 'A');
    expect(tcp.flag_tc).toBe(false);
    expect(tcp.answers).toHaveLength(HEADLESS_ENDPOINTS);
  });

  it('ExternalName: the CNAME, then the target’s A from upstream', async () => {
    responder.setZone(zone());
    const a = await udpQuery(server.port, 'external-database.test.svc.cluster.local', 'A');
    expect(a.answers.map((r) => [r.type, r.data])).toEqual([
      ['CNAME', 'database.company.com'],
      ['A', '192.0.2.9'],
    ]);
    expect(upstream.asked).toContain('database.company.com');
  });

  it('a forwarded answer too big for UDP arrives whole over TCP (asked upstream over TCP)', async () => {
    responder.setZone(zone());
    expect((await udpQuery(server.port, 'many.example', 'A')).flag_tc).toBe(true);
    expect((await tcpQuery(server.port, 'many.example', 'A')).answers).toHaveLength(60);
  });

  it('Node’s resolver (c-ares) resolves through it', async () => {
    responder.setZone(zone());
    const r = new Resolver({ timeout: 2000, tries: 1 });
    r.setServers([`127.0.0.1:${server.port}`]);
    expect(await r.resolve4('my-database.test.svc.cluster.local')).toEqual(['127.96.0.20']);
    expect(await r.resolve4('outside.example')).toEqual(['192.0.2.7']);
    await expect(r.resolve4('nope.test.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(await r.resolveCname('external-database.test.svc.cluster.local')).toEqual(['database.company.com']);
    // More than 512 bytes: c-ares retries over TCP after the TC answer.
    expect(await r.resolve4('big.test.svc.cluster.local')).toHaveLength(HEADLESS_ENDPOINTS);
  });

  it.skipIf(!hasDig)('dig (dnsutils) over UDP and TCP, and a name forwarded upstream', async () => {
    responder.setZone(zone());
    const dig = async (...args: string[]) => (await run('dig', ['@127.0.0.1', '-p', String(server.port), '+short', '+tries=1', '+time=2', ...args])).stdout.trim();
    expect(await dig('my-database.test.svc.cluster.local')).toBe('127.96.0.20');
    expect(await dig('+tcp', 'my-database.test.svc.cluster.local')).toBe('127.96.0.20');
    expect(await dig('outside.example')).toBe('192.0.2.7');
    const status = (await run('dig', ['@127.0.0.1', '-p', String(server.port), '+tries=1', '+time=2', 'nope.test.svc.cluster.local'])).stdout;
    expect(status).toMatch(/status: NXDOMAIN/);
    // dig retries over TCP when it sees TC: the 60 records arrive.
    expect((await dig('+noedns', 'big.test.svc.cluster.local')).split('\n')).toHaveLength(HEADLESS_ENDPOINTS);
  });
});
