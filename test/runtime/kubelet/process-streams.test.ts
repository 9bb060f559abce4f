// pods/log and pods/exec of pods the process backend really runs, through the real kubectl:
// `kubectl logs`, `logs -f`, `logs -p` after a restart, `exec` with streams and exit code,
// `exec -i` with stdin. Runs once the process backend is there (chooseKubeletBackend picks it
// without --simulate); until then the nodes simulate and there is nothing to stream.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/api/model.ts';
import { chooseKubeletBackend } from '../../../runtime/kubelet/backends/index.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

const HAS_PROCESSES = chooseKubeletBackend({ simulate: false }).backend !== 'simulated';

const pod = (name: string, script: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] },
});

describe.skipIf(!HAS_PROCESSES)('streams of pods that run as processes', () => {
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await startTestRuntime({ simulate: false, nodes: 1 });
    // A long-running ticker, and one that exits at once (restarted: its previous run has a log).
    await rt.runtime.client.create('pods', 'default', pod('ticker', 'echo started; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'));
    await rt.runtime.client.create('pods', 'default', pod('crasher', 'echo run at $(date +%s%N); exit 1'));
    await eventually(() => rt.runtime.client.get('pods', 'default', 'ticker')?.status?.containerStatuses?.[0]?.state?.running, { what: 'ticker running', timeoutMs: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await rt?.close();
  });

  it('kubectl logs prints what the process wrote; -f keeps streaming', async () => {
    await eventually(async () => (await rt.kubectl(['logs', 'ticker'])).stdout.startsWith('started\ntick 1\n'), { what: 'the first lines', timeoutMs: 20_000 });
    const child = spawn('kubectl', ['--kubeconfig', rt.kubeconfig, 'logs', '-f', 'ticker', '--tail=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      // One line from the tail, then lines the process writes afterwards.
      await eventually(() => out.split('\n').filter((l) => l.startsWith('tick')).length >= 3, { what: 'followed lines', timeoutMs: 20_000 });
      const ticks = out.trim().split('\n').map((l) => Number(l.split(' ')[1]));
      expect(ticks.slice(1)).toEqual(ticks.slice(1).map((_, i) => ticks[0]! + i + 1));
    } finally {
      child.kill();
    }
  });

  it('kubectl exec returns the streams and the exit code; -i passes stdin', async () => {
    const r = await rt.kubectl(['exec', 'ticker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
    expect(await rt.kubectl(['exec', '-i', 'ticker', '--', 'cat'], { input: 'in\n' })).toEqual({ code: 0, stdout: 'in\n', stderr: '' });
  });

  it('kubectl logs -p shows the run before a restart', async () => {
    await eventually(() => (rt.runtime.client.get('pods', 'default', 'crasher')?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, { what: 'a restart', timeoutMs: 40_000 });
    const previous = await rt.kubectl(['logs', '-p', 'crasher']);
    expect(previous.code).toBe(0);
    expect(previous.stdout).toMatch(/^run at \d+\n$/);
    const none = await rt.kubectl(['logs', '-p', 'ticker']);
    expect(none.stderr.trim()).toBe('Error from server (BadRequest): previous terminated container "main" in pod "ticker" not found');
  }, 60_000);
});
