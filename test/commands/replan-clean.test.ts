// Issue 8, point 1: a re-plan right after apply is clean. The endpoints controller copies a
// Service's labels (the ApplySet's part-of label included) onto the Endpoints it makes; with an
// ExternalDb by addresses the stack's inventory lists Endpoints, so a prune that trusted the
// label alone deleted the controller's Endpoints on every apply.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../support/kite.ts';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture();
const kite = fx.kite;

const PROGRAM = `import { Stack, Namespace, App, ExternalDb } from 'kite';
const stack = new Stack('clean');
const ns = new Namespace(stack, 'clean');
const db = new ExternalDb(ns, 'db', { addresses: ['10.20.0.5', '10.20.0.6'], port: 5432 });
new App(ns, 'web', { image: 'web:1', replicas: 2, port: 8080, env: { DB: db.dnsName } }).expose({ port: 80 });
export default stack;
`;

beforeAll(async () => {
  await writeFiles(fx.dir, { 'stack.ts': PROGRAM });
});

async function endpointsUid(name: string): Promise<string> {
  const r = await fx.rt.kubectl(['get', 'endpoints', name, '-n', 'clean', '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { metadata: { uid: string } }).metadata.uid;
}

describe('a re-plan right after apply', () => {
  it('is clean ten times in a row, and never touches the Endpoints the controller made', { timeout: 180_000 }, async () => {
    const file = join(fx.dir, 'stack.ts');
    const apply = await kite(['apply', file, '--yes', '--timeout', '30s']);
    expect(apply.stderr).toMatch(/Apply complete/);
    expect(apply.code).toBe(0);
    // The controller's Endpoints of the exposed App carry the Service's part-of label.
    const copied = JSON.parse((await fx.rt.kubectl(['get', 'endpoints', 'web', '-n', 'clean', '-o', 'json'])).stdout) as { metadata: { labels: Record<string, string> } };
    expect(copied.metadata.labels['applyset.kubernetes.io/part-of']).toMatch(/^applyset-/);
    const uids = { web: await endpointsUid('web'), db: await endpointsUid('db') };

    for (let i = 0; i < 10; i++) {
      const plan = await kite(['plan', file, '--detailed-exitcode']);
      expect(plan.stdout, `re-plan ${i + 1}`).toMatch(/^No changes\. The cluster matches stack clean\./m);
      expect(plan.code, `re-plan ${i + 1}: ${plan.stdout}${plan.stderr}`).toBe(0);
      expect(await endpointsUid('web')).toBe(uids.web);
      expect(await endpointsUid('db')).toBe(uids.db);
    }
    // Applying again changes nothing either.
    const again = await kite(['apply', file, '--yes', '--timeout', '30s']);
    expect(again.code, again.stderr).toBe(0);
    expect(await endpointsUid('web')).toBe(uids.web);
    expect(await endpointsUid('db')).toBe(uids.db);
  });

  it('destroy deletes what kite applied and leaves the controller to remove its own Endpoints', async () => {
    const destroy = await kite(['destroy', '--stack', 'clean', '--yes']);
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.stdout).toMatch(/- clean\/Endpoints\/db\s+delete/);
    expect(destroy.stdout).not.toMatch(/clean\/Endpoints\/web/);
  });
});
