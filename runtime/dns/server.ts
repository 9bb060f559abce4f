/**
 * The cluster DNS server's sockets: UDP and TCP on one address, port 53 by default (kube-dns's
 * `dns` and `dns-tcp` ports), answering through a DnsResponder. TCP messages carry a two-byte
 * length (RFC 1035 4.2.2); a connection may ask several questions and is closed after 10 s idle.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { truncateForUdp, type DnsResponder } from './responder.ts';

export interface DnsServerOptions {
  address: string;
  /** Default 53; 0 picks a free port (tests). */
  port?: number;
  responder: DnsResponder;
}

export interface RunningDnsServer {
  address: string;
  /** The port both sockets listen on. */
  port: number;
  close(): Promise<void>;
}

const TCP_IDLE_MS = 10_000;
/** Room for bursts of queries (the default, ~200 KB, drops datagrams under load). */
const UDP_BUFFER_BYTES = 4 << 20;

export async function startDnsServer(o: DnsServerOptions): Promise<RunningDnsServer> {
  // Port 0: the UDP port the kernel picks may be taken for TCP; another pick then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await listenBoth(o);
    } catch (e) {
      if ((o.port ?? 53) !== 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw e;
    }
  }
}

async function listenBoth(o: DnsServerOptions): Promise<RunningDnsServer> {
  const udp = createSocket({ type: 'udp4' });
  const port = await new Promise<number>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(o.port ?? 53, o.address, () => {
      udp.off('error', reject);
      resolve(udp.address().port);
    });
  });
  try {
    udp.setRecvBufferSize(UDP_BUFFER_BYTES);
    udp.setSendBufferSize(UDP_BUFFER_BYTES);
  } catch {
    // The kernel's cap (net.core.rmem_max) applies; the defaults still work.
  }
  udp.on('error', () => {});
  udp.on('message', (msg, rinfo) => answerUdp(udp, o.responder, msg, rinfo.port, rinfo.address));

  const connections = new Set<Socket>();
  // Half-open: a client may send its query and shut its side; the answer still goes back.
  const tcp = createServer({ allowHalfOpen: true }, (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveTcp(socket, o.responder);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, o.address, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    udp.close();
    throw e;
  }
  return {
    address: o.address,
    port,
    close: () => closeBoth(udp, tcp, connections),
  };
}

function answerUdp(udp: UdpSocket, responder: DnsResponder, msg: Buffer, port: number, address: string): void {
  const out = responder.respond(msg);
  if (out instanceof Promise) void out.then((b) => sendUdp(udp, msg, b, port, address));
  else sendUdp(udp, msg, out, port, address);
}

function sendUdp(udp: UdpSocket, query: Buffer, answer: Buffer, port: number, address: string): void {
  if (answer.length === 0) return;
  try {
    udp.send(truncateForUdp(query, answer), port, address);
  } catch {
    // Closed meanwhile.
  }
}

function serveTcp(socket: Socket, responder: DnsResponder): void {
  socket.setNoDelay(true);
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  let buffered = Buffer.alloc(0);
  let pending = 0;
  let ended = false;
  socket.on('end', () => {
    ended = true;
    if (pending === 0) socket.end();
  });
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    while (buffered.length >= 2) {
      const len = buffered.readUInt16BE(0);
      if (buffered.length < 2 + len) break;
      const msg = buffered.subarray(2, 2 + len);
      buffered = buffered.subarray(2 + len);
      pending++;
      void Promise.resolve(responder.respond(Buffer.from(msg), true)).then((answer) => {
        pending--;
        if (socket.destroyed) return;
        if (answer.length > 0) {
          const framed = Buffer.allocUnsafe(2 + answer.length);
          framed.writeUInt16BE(answer.length, 0);
          answer.copy(framed, 2);
          socket.write(framed);
        }
        if (ended && pending === 0) socket.end();
      });
    }
  });
}

function closeBoth(udp: UdpSocket, tcp: Server, connections: Set<Socket>): Promise<void> {
  for (const c of connections) c.destroy();
  return Promise.all([
    new Promise<void>((resolve) => {
      try {
        udp.close(() => resolve());
      } catch {
        resolve();
      }
    }),
    new Promise<void>((resolve) => tcp.close(() => resolve())),
  ]).then(() => undefined);
}
