// Issue 8, point 8: a YAML stack whose ReplicaSets are scaled to zero applies and is ready: its
// selector Services have no endpoints because nothing of the stack is meant to back them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture();
const kite = fx.kite;

/** `n` Service + ReplicaSet pairs in namespace `zero`, the ReplicaSets at `replicas`. */
function manifests(n: number, replicas: number, port = 80): string {
  const docs: unknown[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'zero' } }];
  for (let i = 0; i < n; i++) {
    const labels = { app: `app-${i}` };
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: 'zero' }, spec: { selector: labels, ports: [{ port, targetPort: 8080 }] } });
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `app-${i}`, namespace: 'zero' },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: `app:${i}` }] } } },
    });
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

describe('Services whose workloads are scaled to zero', () => {
  it('are ready without endpoints, on the first apply and when only the Service changes', async () => {
    const file = join(fx.dir, 'zero.yaml');
    await writeFile(file, manifests(20, 0));
    const first = await kite(['apply', file, '--stack', 'zero', '--yes', '--timeout', '20s']);
    expect(first.stderr).toMatch(/Apply complete: 41 created; all ready/);
    expect(first.stderr).not.toMatch(/no pods match the selector/);
    expect(first.code).toBe(0);

    // Only the Services change: their ReplicaSets (unchanged, not re-applied) still say 0.
    await writeFile(file, manifests(20, 0, 81));
    const second = await kite(['apply', file, '--stack', 'zero', '--yes', '--timeout', '20s']);
    expect(second.stderr).toMatch(/Apply complete: 20 updated; all ready/);
    expect(second.code).toBe(0);
  });

  it('still wait for an endpoint when a workload of the stack wants pods', async () => {
    const file = join(fx.dir, 'one.yaml');
    await writeFile(file, manifests(1, 1).replaceAll('zero', 'one'));
    const r = await kite(['apply', file, '--stack', 'one', '--yes', '--timeout', '20s']);
    expect(r.stderr).toMatch(/Apply complete: 3 created; all ready/);
    expect(r.code).toBe(0);
    const eps = JSON.parse((await fx.rt.kubectl(['get', 'endpoints', 'app-0', '-n', 'one', '-o', 'json'])).stdout) as { subsets?: Array<{ addresses?: unknown[] }> };
    expect(eps.subsets?.[0]?.addresses?.length).toBe(1);
  });
});
