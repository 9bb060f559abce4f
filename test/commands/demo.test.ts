// `kite demo` (npm start): the loop on a fresh state dir, then Ctrl-C stops the control plane and says so.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { eventually } from '../runtime/harness.ts';
import { KITE_BIN } from '../support/kite.ts';

it('runs the shop until Ctrl-C, then stops the control plane, says so and keeps the state', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kite-demo-'));
  const child = spawn(process.execPath, [KITE_BIN, 'demo', '--state-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    await eventually(() => err.includes('Ctrl-C stops the control plane'), { what: 'the demo to be up', timeoutMs: 60_000 });
    expect(out).toMatch(/replicaset\.apps\/api/);
    // The shop's pods are processes, each on its own loopback address.
    const curl = /curl (http:\/\/127\.\d+\.\d+\.\d+:8080\/)/.exec(err);
    expect(curl).not.toBeNull();
    expect((await fetch(curl![1]!)).status).toBeLessThan(500); // the program answers on its pod IP
    // The shop's LoadBalancer Service, at the address the runtime gave it (the proxy serves it).
    expect(err).toMatch(/^  curl http:\/\/127\.\d+\.\d+\.\d+\/    # service prod\/api \(LoadBalancer\)$/m);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain(`kite control plane stopped; its state stays in ${dir} (kite up resumes it).`);
    expect(existsSync(join(dir, 'state.db'))).toBe(true);
    expect(existsSync(join(dir, 'runtime.json'))).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
