// One forwarded TCP connection through the userspace data plane (real listeners, real sockets):
// half-closes and resets passed on, and bytes intact when either side cannot keep up (each
// direction reuses one read buffer, so a write still in flight must hold the next read back).
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SLOT, networkOfSlot, nthAddress } from '../../../runtime/network.ts';
import { UserspaceDataPlane } from '../../../runtime/proxy/userspace.ts';
import { clusterIpEntry } from './helpers.ts';

// The last network slot (test runtimes claim the lowest free ones); addresses userspace.test.ts does not use.
const NET = networkOfSlot(MAX_SLOT);
const vip = (n: number) => nthAddress(NET.serviceCIDR, 120 + n);
const endpointIp = (n: number) => nthAddress(NET.podCIDR(1), 120 + n);

const sha = (chunks: Buffer[]) => createHash('sha256').update(Buffer.concat(chunks)).digest('hex');

describe('forwardTcp', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /** A server on `ip` running `onConnection`, and a data plane forwarding vip(n):80 to it. */
  async function through(n: number, onConnection: (s: Socket) => void): Promise<void> {
    const sockets = new Set<Socket>();
    const server: Server = createServer({ allowHalfOpen: true }, (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
      onConnection(s);
    });
    await new Promise<void>((r) => server.listen(0, endpointIp(n), () => r()));
    cleanup.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
    const plane = new UserspaceDataPlane();
    cleanup.push(() => plane.stop());
    await plane.apply([clusterIpEntry(`fwd${n}`, vip(n), [{ ip: endpointIp(n), port: (server.address() as { port: number }).port }])]);
  }

  function client(n: number): Socket {
    const s = connect({ host: vip(n), port: 80, allowHalfOpen: true });
    cleanup.push(() => void s.destroy());
    return s;
  }

  it('passes a half-close on: the client ends its side and still reads the reply', async () => {
    await through(1, (s) => {
      const got: Buffer[] = [];
      s.on('data', (d: Buffer) => got.push(d));
      // Answers only once the client's side has ended, then ends its own.
      s.on('end', () => s.end(`got ${Buffer.concat(got).toString()}`));
    });
    const c = client(1);
    const reply: Buffer[] = [];
    c.on('data', (d: Buffer) => reply.push(d));
    const ended = new Promise<void>((r) => c.once('end', () => r()));
    c.end('hello');
    await ended;
    expect(Buffer.concat(reply).toString()).toBe('got hello');
  });

  it("passes a reset on: the endpoint's reset reaches the client as ECONNRESET", async () => {
    await through(2, (s) => s.once('data', () => s.resetAndDestroy()));
    const c = client(2);
    const failed = new Promise<string | undefined>((r) => {
      c.once('error', (e: NodeJS.ErrnoException) => r(e.code));
      c.once('close', () => r(undefined));
    });
    c.write('x');
    expect(await failed).toBe('ECONNRESET');
  });

  it("passes a reset on: the client's reset reaches the endpoint", async () => {
    let endpointSaw: Promise<string | undefined> = Promise.resolve('no connection');
    await through(3, (s) => {
      endpointSaw = new Promise((r) => {
        s.once('error', (e: NodeJS.ErrnoException) => r(e.code));
        s.once('close', () => r(undefined));
      });
      s.once('data', () => s.write('ready'));
    });
    const c = client(3);
    await new Promise<void>((r) => (c.once('data', () => r()), c.write('x')));
    c.resetAndDestroy();
    expect(await endpointSaw).toBe('ECONNRESET');
  });

  it('forwards 32 MiB each way intact to an echoing endpoint while the client reads slowly', async () => {
    await through(4, (s) => s.pipe(s));
    const sent = randomBytes(32 * 1024 * 1024);
    const c = client(4);
    const got: Buffer[] = [];
    let bytes = 0;
    const done = new Promise<void>((resolve, reject) => {
      c.on('error', reject);
      c.on('data', (d: Buffer) => {
        got.push(d);
        bytes += d.length;
        if (bytes >= sent.length) return resolve();
        // A slow reader: the replies back up into the proxy, then the requests behind them.
        c.pause();
        setImmediate(() => c.resume());
      });
    });
    c.write(sent);
    await done;
    expect(bytes).toBe(sent.length);
    expect(sha(got)).toBe(sha([sent]));
  });
});
