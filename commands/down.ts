import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import type { Io } from './output.ts';
import { sameProcess } from '../runtime/process-identity.ts';
import { liveRuntime } from './state-dir.ts';

/** `kite down`: stop the runtime of a state dir (its state stays; `kite up` resumes it). */
export async function downCommand(o: { stateDir: string; timeoutMs?: number }, io: Io): Promise<number> {
  const running = await liveRuntime(o.stateDir, (t) => io.err(t));
  if (!running) {
    io.err(`no kite control plane running in ${o.stateDir}\n`);
    return EXIT_OK;
  }
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + (o.timeoutMs ?? 15_000);
  while (sameProcess(running.pid, running.processStart)) {
    if (Date.now() > deadline) {
      io.err(`kite control plane (pid ${running.pid}) did not stop within ${(o.timeoutMs ?? 15_000) / 1000}s\n`);
      return EXIT_USER_ERROR;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  io.err(`kite control plane stopped (pid ${running.pid})\n`);
  return EXIT_OK;
}

