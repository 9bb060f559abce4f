// Issue 13, scopes 3 and 4: every apply records a revision in the target; `kite history` lists
// them; `kite rollback` plans an earlier revision against the live state and applies it (a
// deleted Service comes back, a changed one reverts), after which the plan is empty.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture({ nodes: 1 });
const kite = fx.kite;

interface Version {
  port: number;
  db: boolean;
  replicas: number;
  /** CPU each pod requests (more than a node has: never scheduled, never ready). */
  cpu?: string;
}
/** The stack `web`: a namespace, Service api, ExternalName Service db, ReplicaSet api. */
function docs(v: Version, ns: string): object[] {
  const labels = { app: 'api' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: ns }, spec: { selector: labels, ports: [{ port: v.port, targetPort: 8080 }] } },
    ...(v.db ? [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: ns }, spec: { type: 'ExternalName', externalName: 'db.example.com' } }] : []),
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'api', namespace: ns },
      spec: { replicas: v.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'example/api:1', ...(v.cpu ? { resources: { requests: { cpu: v.cpu } } } : {}) }] } } },
    },
  ];
}
const V1: Version = { port: 80, db: true, replicas: 2 };
const V2: Version = { port: 81, db: false, replicas: 3 };

async function write(name: string, v: Version, ns = 'web'): Promise<string> {
  const file = join(fx.dir, name);
  await writeFile(file, docs(v, ns).map((d) => JSON.stringify(d)).join('\n---\n'));
  return file;
}
async function kubectlJson<T>(args: string[]): Promise<T> {
  const r = await fx.rt.kubectl([...args, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}
const svcPort = async () => (await kubectlJson<{ spec: { ports: Array<{ port: number }> } }>(['get', 'svc', 'api', '-n', 'web'])).spec.ports[0]!.port;
const replicas = async () => (await kubectlJson<{ spec: { replicas: number } }>(['get', 'rs', 'api', '-n', 'web'])).spec.replicas;

interface Row {
  revision: number;
  status: string;
  who: string;
  kiteVersion: string;
  operation: string;
  rollbackTo?: number;
  summary: { add: number; change: number; destroy: number };
  changes: Array<{ action: string; ref: { kind: string; name: string } }>;
  manifests?: unknown[];
}
async function historyJson(stack = 'web', extra: string[] = []): Promise<Row[]> {
  const r = await kite(['history', stack, '-o', 'json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

describe('kite history and kite rollback', () => {
  it('records each apply, lists and shows revisions, rolls back to the previous one, then to --to N', { timeout: 180_000 }, async () => {
    const v1 = await write('v1.yaml', V1);
    const v2 = await write('v2.yaml', V2);
    const a1 = await kite(['apply', v1, '--stack', 'web', '--yes', '--timeout', '60s']);
    expect(a1.code, a1.stderr).toBe(0);
    const a2 = await kite(['apply', v2, '--stack', 'web', '--yes', '--timeout', '60s']);
    expect(a2.code, a2.stderr).toBe(0);
    expect(await svcPort()).toBe(81);

    // Two revisions: the first superseded, the second deployed, with what each changed.
    const table = await kite(['history', 'web']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REVISION\s+UPDATED\s+STATUS\s+WHO\s+KITE\s+SUMMARY$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+superseded\s+\S+@\S+\s+\d+\.\d+\.\d+\s+apply: 4 added$/);
    expect(lines[2]).toMatch(/^2\s+.*\s+deployed\s+\S+@\S+\s+\d+\.\d+\.\d+\s+apply: 2 changed, 1 deleted$/);

    const rows = await historyJson();
    expect(rows.map((r) => [r.revision, r.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
    expect(rows[1]!.changes.map((c) => `${c.action} ${c.ref.kind}/${c.ref.name}`).sort()).toEqual(['delete Service/db', 'update ReplicaSet/api', 'update Service/api']);
    expect(rows[0]!.manifests).toBeUndefined();

    // One revision: its summary, then its manifests as YAML (without kite's last-applied record).
    const shown = await kite(['history', 'web', '--revision', '1']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Revision 1 of stack web \(superseded\)$/m);
    expect(shown.stdout).toMatch(/^ {2}Summary: {2}apply: 4 added$/m);
    expect(shown.stdout).toMatch(/^ {2}Manifests \(4\):$/m);
    expect(shown.stdout).toMatch(/^kind: Service\nmetadata:\n {2}name: db$/m);
    expect(shown.stdout).not.toMatch(/kite\.dev\/last-applied/);
    const one = JSON.parse((await kite(['history', 'web', '--revision', '1', '-o', 'json'])).stdout) as Row;
    expect(one.manifests).toHaveLength(4);

    // The revisions are Secrets next to the ApplySet parent, their payload out of plain sight.
    const secrets = await kubectlJson<{ items: Array<{ type: string; metadata: { name: string }; data: { revision: string } }> }>(['get', 'secrets', '-n', 'default', '-l', 'kite.dev/stack=web']);
    expect(secrets.items.map((s) => s.metadata.name).sort()).toEqual(['kite-revision-web.v1', 'kite-revision-web.v2']);
    expect(secrets.items.every((s) => s.type === 'kite.dev/revision.v1')).toBe(true);
    expect(Buffer.from(secrets.items[0]!.data.revision, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip

    // Rollback (to the previous revision): the plan is shown as any plan, then applied.
    const back = await kite(['rollback', 'web', '--yes', '--timeout', '60s']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toMatch(/^Rolling back stack web to revision 1 \(applied .* by \S+@\S+\)\.$/m);
    expect(back.stdout).toMatch(/^ {2}\+ web\/Service\/db\s+create/m);
    expect(back.stdout).toMatch(/^ {2}~ web\/Service\/api\s+update/m);
    expect(back.stdout).toMatch(/^Plan: 1 to add, 2 to change, 0 to replace, 0 to destroy\.$/m);
    expect(await svcPort()).toBe(80);
    expect(await replicas()).toBe(2);
    expect((await fx.rt.kubectl(['get', 'svc', 'db', '-n', 'web'])).code).toBe(0);

    // The program's v1 plans nothing now; the history has three revisions.
    const plan = await kite(['plan', v1, '--stack', 'web', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(/No changes/);
    const after = await historyJson();
    expect(after.map((r) => [r.revision, r.status, r.operation, r.rollbackTo])).toEqual([
      [1, 'superseded', 'apply', undefined],
      [2, 'superseded', 'apply', undefined],
      [3, 'deployed', 'rollback', 1],
    ]);
    expect((await kite(['history', 'web'])).stdout).toMatch(/^3\s+.*deployed\s+.*rollback to 1: 1 added, 2 changed$/m);

    // --to 2: revision 2 again (db deleted by prune), planned only with --out and --detailed-exitcode.
    const planFile = join(fx.dir, 'rollback.json');
    const planned = await kite(['rollback', 'web', '--to', '2', '--out', planFile, '--detailed-exitcode']);
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stdout).toMatch(/^ {2}- web\/Service\/db\s+delete/m);
    expect(await svcPort()).toBe(80);
    const applied = await kite(['apply', planFile, '--timeout', '60s']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await svcPort()).toBe(81);
    expect((await fx.rt.kubectl(['get', 'svc', 'db', '-n', 'web'])).code).not.toBe(0);
    expect((await historyJson()).map((r) => r.revision)).toEqual([1, 2, 3, 4]);
  });

  it('says clearly when a revision or a stack has no history, exit 1', async () => {
    const unknown = await kite(['rollback', 'web', '--to', '99', '--yes']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: stack web has no revision 99 on context kite-local \(it has revisions 1 to 4; see kite history web\)$/m);
    const never = await kite(['history', 'never']);
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/^error: stack never has no history on context kite-local: it was never applied there/m);
    const neverBack = await kite(['rollback', 'never', '--yes']);
    expect(neverBack.code).toBe(1);
    expect(neverBack.stderr).toMatch(/^error: stack never has no history on context kite-local/m);
  });

  it('keeps --history-max revisions, deleting the oldest; destroy removes the history', { timeout: 120_000 }, async () => {
    for (const [i, port] of [90, 91, 92].entries()) {
      const file = await write(`bounded-${i}.yaml`, { port, db: false, replicas: 1 }, 'bounded');
      const r = await kite(['apply', file, '--stack', 'bounded', '--yes', '--history-max', '2', '--timeout', '60s']);
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await historyJson('bounded')).map((r) => r.revision)).toEqual([2, 3]);
    const gone = await kite(['rollback', 'bounded', '--to', '1', '--yes']);
    expect(gone.stderr).toMatch(/has no revision 1 on context kite-local \(it has revisions 2 to 3;/);
    expect(gone.code).toBe(1);
    const destroyed = await kite(['destroy', '--stack', 'bounded', '--yes', '--timeout', '60s']);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect((await kite(['history', 'bounded'])).code).toBe(1);
  });

  it('records an apply that never became ready as failed, and rolls back past it to the last deployed revision', { timeout: 120_000 }, async () => {
    const good = await write('good.yaml', { port: 80, db: false, replicas: 1 }, 'flaky');
    // One more replica, whose template asks for more CPU than a node has: it never becomes ready.
    const bad = await write('bad.yaml', { port: 80, db: false, replicas: 2, cpu: '100' }, 'flaky');
    expect((await kite(['apply', good, '--stack', 'flaky', '--yes', '--timeout', '60s'])).code).toBe(0);
    const r = await kite(['apply', bad, '--stack', 'flaky', '--yes', '--timeout', '4s']);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    const rows = await historyJson('flaky');
    expect(rows.map((x) => [x.revision, x.status])).toEqual([[1, 'superseded'], [2, 'failed']]);
    // Its template never becomes ready: the rollout stops on the new pod (or the wait reports it).
    expect((rows[1] as Row & { reason?: string }).reason).toMatch(/flaky\/ReplicaSet\/api/);
    const back = await kite(['rollback', 'flaky', '--yes', '--timeout', '60s']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toMatch(/^Rolling back stack flaky to revision 1 /m);
    expect((await historyJson('flaky')).map((r) => [r.revision, r.status, r.rollbackTo])).toEqual([
      [1, 'superseded', undefined],
      [2, 'failed', undefined],
      [3, 'deployed', 1],
    ]);
  });
});
