import { afterAll, beforeAll, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
let rt: TestRuntime;
beforeAll(async () => { rt = await startTestRuntime({ nodes: 1 }); }, 60_000);
afterAll(async () => { await rt?.close(); });
it('probe', async () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 0 }] } };
  const rs = (sel: unknown) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { ...(sel ? { selector: sel } : {}), template: { metadata: { labels: { app: 'yy' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  for (const [args, input] of [
    [['apply', '-f', '-'], svc], [['create', '-f', '-'], svc],
    [['apply', '-f', '-'], rs({ matchLabels: { app: 'xx' } })], [['create', '-f', '-'], rs({ matchLabels: { app: 'xx' } })],
    [['apply', '-f', '-', '--validate=false'], rs(undefined)], [['create', '-f', '-', '--validate=false'], rs(undefined)],
    [['apply', '-f', '-'], rs({})],
    [['get', 'pods', '-l', 'app notin ()'], undefined],
    [['get', 'pods', '-l', 'app in (a b)'], undefined],
  ] as const) {
    const r = await rt.kubectl([...args], input ? { input: JSON.stringify(input) } : {});
    console.log(JSON.stringify(args), r.code, JSON.stringify(r.stdout), '\n', r.stderr);
  }
}, 60_000);
