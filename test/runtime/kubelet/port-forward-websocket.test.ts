/**
 * The plain WebSocket port-forward protocol through the API server to the process kubelet:
 * `?ports=` at the API server (`port` at the kubelet), channels 2i / 2i+1 per port, each opened
 * with the port in little-endian; and the kubelet's refusals of bad port lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../commands/target.ts';
import { portForwardPath } from '../../../lib/kube/port-forward.ts';
import { openWebSocket } from '../../../lib/kube/streams.ts';
import { parseForwardPorts } from '../../../runtime/kubelet/port-forward-websocket.ts';
import type { TestRuntime } from '../harness.ts';
import { killMarked, startProcessRuntime } from './backends/process/helpers.ts';
import { startWebPod } from './port-forward-fixture.ts';

describe('the kubelet reading the port list', () => {
  it.each([
    ['port=8080', [8080]],
    ['port=8080,9090&port=1', [8080, 9090, 1]],
    ['', 'query parameter "port" is required'],
    ['port=', 'query parameter "port" cannot be empty'],
    ['port=80,x', 'unable to parse "80,x" as a port: strconv.ParseUint: parsing "x": invalid syntax'],
    ['port=70000', 'unable to parse "70000" as a port: strconv.ParseUint: parsing "70000": value out of range'],
    ['port=0', 'port "0" must be > 0'],
  ])('%s → %j', (query, want) => {
    expect(parseForwardPorts(new URLSearchParams(query))).toEqual(want);
  });
});

describe('plain WebSocket port-forward through the API server', () => {
  const MARKER = `pf-ws-${process.pid}`;
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startProcessRuntime();
    await startWebPod(rt, 'web', MARKER);
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    killMarked(MARKER);
  });

  it('forwards each port on its channel pair, errors on the odd channel, and closes when all are done', async () => {
    const client = connect({ kubeconfig: rt.kubeconfig });
    try {
      const ws = await openWebSocket(client, portForwardPath('default', 'web'), { ports: ['8080', '9999'] }, ['v4.channel.k8s.io']);
      const got = new Map<number, Buffer[]>();
      ws.on('message', (m: Buffer) => got.set(m[0]!, [...(got.get(m[0]!) ?? []), m.subarray(1)]));
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET / HTTP/1.0\r\n\r\n')]));
      expect(await closed).toBe(1000);
      const le = (port: number) => Buffer.from([port & 0xff, port >> 8]);
      for (const [ch, port] of [[0, 8080], [1, 8080], [2, 9999], [3, 9999]] as const) expect(got.get(ch)?.[0], `channel ${ch}`).toEqual(le(port));
      expect(Buffer.concat(got.get(0)!.slice(1)).toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\npod web got 0$/);
      expect(got.get(1)!.length).toBe(1);
      const pod = rt.runtime.client.get('pods', 'default', 'web')!;
      expect(Buffer.concat(got.get(3)!.slice(1)).toString()).toBe(`error forwarding port 9999 to pod ${pod.metadata.uid}, uid : dial tcp ${pod.status!.podIP}:9999: connect: connection refused`);
    } finally {
      client.close();
    }
  }, 30_000);
});
