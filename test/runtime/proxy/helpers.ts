/** What the proxy's tests share: loopback servers that say who they are, Services and EndpointSlices written through the API, and clients. */
import { createSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { EndpointSlice, Service, ServiceSpec } from '../../../lib/api/model.ts';
import type { ApiClient } from '../../../runtime/client/client.ts';
import type { ServicePortEntry } from '../../../runtime/proxy/service-table.ts';
import { nthAddress, type RuntimeNetwork } from '../../../runtime/network.ts';

/** The n-th address of node 1's pod range: where the tests' endpoint servers listen (no pods run in these tests). */
export function endpointAddress(network: RuntimeNetwork, n: number): string {
  return nthAddress(network.podCIDR(1), 100 + n);
}

export interface NamedServer {
  name: string;
  ip: string;
  port: number;
  close(): Promise<void>;
}

/** A TCP server that writes `<name>\n` to each connection, then echoes what it reads. */
export async function startNamedServer(name: string, ip: string): Promise<NamedServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.write(`${name}\n`);
    s.pipe(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ip, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    name,
    ip,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A UDP server that answers every datagram with `<name>:<datagram>:<sender address>`. */
export async function startNamedUdpServer(name: string, ip: string): Promise<NamedServer> {
  const socket = createSocket('udp4');
  socket.on('message', (m, r) => socket.send(`${name}:${m.toString()}:${r.address}`, r.port, r.address));
  await new Promise<void>((resolve) => socket.bind(0, ip, () => resolve()));
  return { name, ip, port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** An open connection through the proxy, with the name of the server it reached. */
export interface Conn {
  name: string;
  socket: Socket;
  /** Sends `text` and resolves with the echo. */
  echo(text: string): Promise<string>;
}

/** Connects and reads the server's name line; rejects with the socket error (ECONNREFUSED for a refused one). */
export function open(host: string, port: number, localAddress?: string): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    let buf = '';
    socket.once('error', reject);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      socket.off('data', onData);
      const name = buf.slice(0, nl);
      resolve({
        name,
        socket,
        echo: (text) =>
          new Promise((res, rej) => {
            let got = '';
            const on = (c: Buffer) => {
              got += c.toString();
              if (got.length >= text.length) {
                socket.off('data', on);
                res(got);
              }
            };
            socket.on('data', on);
            socket.once('error', rej);
            socket.write(text);
          }),
      });
    };
    socket.on('data', onData);
  });
}

/** Connects, reads the name, closes. */
export async function nameAt(host: string, port: number, localAddress?: string): Promise<string> {
  const c = await open(host, port, localAddress);
  c.socket.destroy();
  return c.name;
}

/** The error code of a connection attempt that fails (undefined if it connects). */
export function connectError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(undefined)));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
  });
}

/** Sends one datagram (from `localAddress`, if given) and resolves with the reply. */
export async function udpAsk(host: string, port: number, text: string, timeoutMs = 2_000, localAddress?: string): Promise<string> {
  const s = createSocket('udp4');
  if (localAddress) await new Promise<void>((r) => s.bind(0, localAddress, () => r()));
  return new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no UDP reply')), timeoutMs);
    s.once('message', (m) => (clearTimeout(t), resolve(m.toString())));
    s.once('error', (e) => (clearTimeout(t), reject(e)));
    s.send(text, port, host);
  }).finally(() => s.close());
}

export async function createService(client: ApiClient, name: string, spec: ServiceSpec): Promise<Service> {
  return client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
}

/** Writes the Service's one EndpointSlice (created, or replaced) with these servers as ready endpoints of the port named `portName`. */
export async function setEndpoints(client: ApiClient, service: string, servers: readonly NamedServer[], o: { portName?: string; protocol?: 'TCP' | 'UDP' } = {}): Promise<EndpointSlice> {
  const name = `${service}-test`;
  // One port per slice: servers listening on different ports go in one slice each, as the controller groups them.
  const byPort = new Map<number, NamedServer[]>();
  for (const s of servers) byPort.set(s.port, [...(byPort.get(s.port) ?? []), s]);
  const existing = client.list('endpointslices', 'default').items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service && s.metadata.name?.startsWith(name));
  for (const s of existing) await client.delete('endpointslices', 'default', s.metadata.name!);
  let last: EndpointSlice | undefined;
  let i = 0;
  for (const [port, group] of byPort.size ? byPort : new Map([[0, [] as NamedServer[]]])) {
    last = await client.create('endpointslices', 'default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-${i++}`, namespace: 'default', labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'test.kite.dev' } },
      addressType: 'IPv4',
      endpoints: group.map((s) => ({ addresses: [s.ip], conditions: { ready: true } })),
      ports: port ? [{ name: o.portName ?? '', port, protocol: o.protocol ?? 'TCP' }] : [],
    });
  }
  return last!;
}

/** A data plane's entry for Service `service` in default: port 80 of ClusterIP `address` to `endpoints`. */
export function clusterIpEntry(service: string, address: string, endpoints: { ip: string; port: number }[]): ServicePortEntry {
  return {
    key: `default/${service}:/TCP`,
    namespace: 'default',
    service,
    portName: '',
    protocol: 'TCP',
    listeners: [{ address, port: 80, protocol: 'TCP', via: 'ClusterIP' }],
    endpoints: endpoints.map(({ ip, port }) => ({ ip, port })),
  };
}
