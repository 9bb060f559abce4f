/** A tcpSocket probe (k/k pkg/probe/tcp): success iff a connection opens within the timeout; it is closed at once. */
import { connect } from 'node:net';
import { dialError } from './go-net-errors.ts';
import { onAbort } from './abort-hooks.ts';

export type TcpOutcome = { ok: true } | { ok: false; error: string };

export function tcpDial(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (o: TcpOutcome): void => {
      clearTimeout(timer);
      forgetAbort();
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ ok: false, error: dialError(host, port, 'timeout') }), Math.max(0, timeoutMs));
    const forgetAbort = onAbort(signal, () => finish({ ok: false, error: `dial tcp ${host}:${port}: operation was canceled` }));
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: dialError(host, port, err) }));
  });
}
