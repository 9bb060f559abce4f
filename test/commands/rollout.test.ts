// `kite plan` / `kite apply` with rollouts, through the real CLI, for YAML input: the template
// hash is stamped by kite (not in the file), the plan says how many pods roll, apply rolls them
// with progress lines, and --no-roll (plan and apply) skips it. Real processes: the
// node-express-info stand-in, tags :1 and :2 through kite.images.yaml.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFiles } from '../support/kite.ts';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture({ simulate: false, nodes: 1, images: join(import.meta.dirname, '../../kite.images.yaml') });
const kite = fx.kite;

const yaml = (tag: string) => `apiVersion: v1
kind: Namespace
metadata: {name: yroll}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
  namespace: yroll
  annotations: {kite.dev/max-surge: "1", kite.dev/max-unavailable: "0"}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: jonbaier/node-express-info:${tag}
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /status, port: 8080}, periodSeconds: 1}
`;

async function podImages(): Promise<string[]> {
  const r = await fx.rt.kubectl(['get', 'pods', '-n', 'yroll', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('kite plan / apply with rollouts (YAML)', () => {
  it('plans "rolls N pods", rolls them on apply, and --no-roll skips it', { timeout: 240_000 }, async () => {
    const file = join(fx.dir, 'web.yaml');
    await writeFiles(fx.dir, { 'web.yaml': yaml('1') });
    const first = await kite(['apply', file, '--yes', '--timeout', '60s']);
    expect(first.code, first.stderr).toBe(0);
    const stamped = await fx.rt.kubectl(['get', 'rs', 'web', '-n', 'yroll', '-o', "jsonpath={.spec.template.metadata.labels['kite\\.dev/template-hash']}"]);
    expect(stamped.stdout).toMatch(/^[0-9a-f]{10}$/);

    await writeFiles(fx.dir, { 'web.yaml': yaml('2') });
    const plan = await kite(['plan', file]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/~ yroll\/ReplicaSet\/web\s+update, rolls 2 pods\n\s+~ spec\.template\.spec\.containers\[web\]\.image: jonbaier\/node-express-info:1 → jonbaier\/node-express-info:2\n/);
    expect(plan.stdout).not.toMatch(/template-hash/);
    const noRoll = await kite(['plan', file, '--no-roll']);
    expect(noRoll.stdout).toMatch(/~ yroll\/ReplicaSet\/web\s+update\n/);

    const apply = await kite(['apply', file, '--yes', '--timeout', '90s']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/rolling \d\/2 updated, \d\/2 ready/);
    expect(await podImages()).toEqual(['jonbaier/node-express-info:2', 'jonbaier/node-express-info:2']);
    const clean = await kite(['plan', file, '--detailed-exitcode']);
    expect(clean.code, clean.stdout).toBe(0);

    await writeFiles(fx.dir, { 'web.yaml': yaml('1') });
    const skipped = await kite(['apply', file, '--yes', '--no-roll', '--timeout', '60s']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(await podImages()).toEqual(['jonbaier/node-express-info:2', 'jonbaier/node-express-info:2']);
    const pending = await kite(['plan', file]);
    expect(pending.stdout).toMatch(/~ yroll\/ReplicaSet\/web\s+update\s+rolls 2 pods \(rollout not finished: apply continues it\)/);
  });
});
