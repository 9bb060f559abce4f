// Plain YAML input: the built-in best practices run on every validated object, located at the
// field in the file (a missing field at its nearest written parent: a limit at its container's
// resources), warnings by default.
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runKite, scratchDir, writeFiles } from '../support/kite.ts';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: prod
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
      resources:
        requests:
          cpu: 100m
  volumes:
    - name: logs
      hostPath:
        path: /var/log
`;

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await scratchDir();
  await writeFiles(dir, { 'pod.yaml': POD });
  file = relative(REPO, join(dir, 'pod.yaml'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('best practices on YAML', () => {
  it('are warnings by default: every violation reported, at its line, exit 0', async () => {
    const r = await runKite(['validate', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('warning:'))).toEqual([
      `${file}:13:9: prod/Pod/web: spec.containers[web].resources.limits.memory: warning: [container-memory-limits] every container needs a memory limit`,
      `${file}:8:7: prod/Pod/web: spec.containers[web].readinessProbe: warning: [readiness-probes] a container that exposes ports needs a readiness probe`,
      `${file}:18:9: prod/Pod/web: spec.volumes[logs].hostPath: warning: [no-host-path] volume logs mounts the host path /var/log`,
    ]);
    expect(r.stderr).toContain(`${file}: 1 object valid`);
  });

  it('--best-practices error fails validate and synth with exit 1, nothing written', async () => {
    const v = await runKite(['validate', '--best-practices', 'error', file]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`${file}:18:9: prod/Pod/web: spec.volumes[logs].hostPath: [no-host-path] volume logs mounts the host path /var/log`);
    expect(v.stderr).toMatch(/^3 errors$/m);
    const s = await runKite(['synth', '--best-practices', 'error', file, '--stdout']);
    expect(s.code).toBe(1);
    expect(s.stdout).toBe('');
    expect(s.stderr).not.toMatch(/\n\s+at /);
  });

  it('show the first 5 warnings of a rule and count the rest in one line', async () => {
    const pods = Array.from({ length: 8 }, (_, i) => `apiVersion: v1
kind: Pod
metadata:
  name: p${i}
spec:
  containers:
    - name: c
      image: nginx:1.27
      resources:
        requests:
          cpu: 100m
`).join('---\n');
    await writeFiles(dir, { 'many.yaml': pods });
    const many = relative(REPO, join(dir, 'many.yaml'));
    const r = await runKite(['validate', many]);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('[container-memory-limits]'));
    expect(warnings.slice(0, 5).map((l) => l.match(/Pod\/(p\d)/)?.[1])).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(warnings.slice(5)).toEqual(['warning: [container-memory-limits] 3 more violations not shown (8 in all)']);
  });

  it('--best-practices off skips them; a bad mode is a usage error', async () => {
    const off = await runKite(['validate', '--best-practices', 'off', file]);
    expect(off.code).toBe(0);
    expect(off.stderr).toBe(`${file}: 1 object valid\n`);
    const bad = await runKite(['validate', '--best-practices', 'strict', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: --best-practices must be warning, error or off, not "strict"\n');
  });
});
