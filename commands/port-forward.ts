/**
 * `kite port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...`: listens on local ports and forwards
 * each connection to a port of a pod through pods/portforward, as kubectl port-forward does
 * (kubectl pkg/cmd/portforward/portforward.go, client-go tools/portforward/portforward.go):
 * the same pod and port resolution (./port-forward-pod.ts, ./port-forward-ports.ts), the same
 * lines (`Forwarding from 127.0.0.1:8080 -> 80`, `Handling connection for 8080`), and like
 * kubectl 1.32 it ends with `error: lost connection to pod` (exit 1) once a forward fails.
 * Each connection is its own WebSocket in the plain port-forward protocol (lib/kube/port-forward.ts),
 * which any kubelet serves. Ctrl-C closes the listeners and connections, exit 0.
 */
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { Pod } from '../lib/api/model.ts';
import { KubeApiError } from '../lib/kube/index.ts';
import { openPortForward, pipePortForward, type ForwardedConnection } from '../lib/kube/port-forward.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { reportKubeError } from './kube-errors.ts';
import { POD_REF } from './logs.ts';
import { UserError, type Io } from './output.ts';
import { forwardTarget } from './port-forward-pod.ts';
import { convertPodNamedPorts, parsePorts, translateServicePorts, type ForwardedPort } from './port-forward-ports.ts';
import { connect, type TargetFlags } from './target.ts';

export interface PortForwardOptions {
  /** `TYPE/NAME`, or a pod's `NAME`. */
  resource: string;
  ports: string[];
  namespace?: string;
  /** Local addresses to listen on (`localhost` = 127.0.0.1 and ::1). */
  addresses: string[];
  podRunningTimeoutMs: number;
  target: TargetFlags;
  /** Ends the forward (Ctrl-C in the CLI). */
  stop: AbortSignal;
}

export async function portForwardCommand(o: PortForwardOptions, io: Io): Promise<number> {
  if (!o.resource || o.ports.length === 0) throw new UserError('TYPE/NAME and list of ports are required for port-forward');
  const client = connect(o.target, o.namespace ? { namespace: o.namespace } : {});
  const servers: Server[] = [];
  const open = new Set<ForwardedConnection>();
  try {
    const ns = client.target.namespace;
    const { pod: chosen, service } = await forwardTarget(client, ns, o.resource, o.podRunningTimeoutMs);
    const ports = parsePorts(service ? translateServicePorts(o.ports, service, chosen) : convertPodNamedPorts(o.ports, chosen));
    const podName = chosen.metadata.name!;
    const pod = await client.get<Pod>(POD_REF, ns, podName);
    if (pod.status?.phase !== 'Running') throw new UserError(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);

    const addresses = o.addresses.flatMap((a) => (a === 'localhost' ? ['127.0.0.1', '::1'] : [a]));
    let failed: (message: string) => void = () => {};
    const failure = new Promise<string>((resolve) => (failed = resolve));
    const handle = (socket: Socket, port: ForwardedPort) => {
      io.out(`Handling connection for ${port.local}\n`);
      openPortForward(client, ns, podName, port.remote).then(
        (ws) => {
          const c = pipePortForward(ws, socket);
          open.add(c);
          void c.done.then((error) => {
            open.delete(c);
            if (error) {
              io.err(`an error occurred forwarding ${port.local} -> ${port.remote}: ${error}\n`);
              failed('lost connection to pod');
            }
          });
        },
        (e: unknown) => {
          socket.destroy();
          failed(e instanceof KubeApiError ? `error upgrading connection: ${e.message}` : `error creating stream: ${(e as Error).message}`);
        },
      );
    };
    for (const port of ports) {
      let listening = 0;
      for (const address of addresses) {
        const server = createServer({ allowHalfOpen: false }, (socket) => handle(socket, port));
        try {
          await listen(server, port.local, address);
        } catch (e) {
          io.err(`Unable to listen on port ${port.local}: ${listenError(address, port.local, e as NodeJS.ErrnoException)}\n`);
          continue;
        }
        servers.push(server);
        listening++;
        // `:80` picks a free port once; the other addresses take the same one.
        if (port.local === 0) port.local = (server.address() as { port: number }).port;
        io.out(`Forwarding from ${isIPv6(address) ? `[${address}]` : address}:${port.local} -> ${port.remote}\n`);
      }
      if (listening === 0) throw new UserError(`unable to listen on any of the requested ports: [{${port.local} ${port.remote}}]`);
    }

    const stopped = new Promise<void>((resolve) => {
      if (o.stop.aborted) resolve();
      o.stop.addEventListener('abort', () => resolve(), { once: true });
    });
    const outcome = await Promise.race([stopped.then(() => undefined), failure]);
    if (outcome === undefined) return EXIT_OK;
    io.err(`error: ${outcome}\n`);
    return EXIT_USER_ERROR;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    for (const s of servers) s.close();
    for (const c of open) c.close();
    client.close();
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Go's net.Listen error (`listen tcp4 127.0.0.1:8080: bind: address already in use`). */
function listenError(address: string, port: number, e: NodeJS.ErrnoException): string {
  const net = isIPv6(address) ? 'tcp6' : 'tcp4';
  const hostPort = isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
  const why: Record<string, string> = { EADDRINUSE: 'bind: address already in use', EADDRNOTAVAIL: 'bind: cannot assign requested address', EACCES: 'bind: permission denied' };
  return `listen ${net} ${hostPort}: ${why[e.code ?? ''] ?? e.message}`;
}
