// The validation cache against validation itself: for every object of the seed and broken corpora
// and generated ones (constructs' objects and tricky values), validating through a cache that has
// just stored the result, and through the cache read back from its file, gives a result identical
// to validating without one (values, key order, -0, NaN, undefined members all count).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { validateManifest, type ValidationMemo } from '../../lib/api/validate.ts';
import { App, Namespace, Stack, Service, ApiObject } from '../../lib/constructs/index.ts';
import { synthStack } from '../../lib/synth/synth-stack.ts';
import { ValidationCache, validationCacheFile } from '../../lib/synth/validation-cache.ts';
import { loadInput } from '../../lib/synth/load-input.ts';
import type { LoadResult } from '../../lib/synth/manifest.ts';
import { REPO, runKite, scratchDir, writeFiles } from '../support/kite.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
function docsIn(dir: string): unknown[] {
  return readdirSync(join(fixtures, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => {
      try {
        return parseAllDocuments(readFileSync(join(fixtures, dir, f), 'utf8')).map((d) => d.toJS() as unknown);
      } catch {
        return []; // not YAML that parses: not a case for the object model
      }
    });
}

function constructObjects(): unknown[] {
  const stack = new Stack('cache');
  const ns = new Namespace(stack, 'cache');
  for (let i = 0; i < 4; i++) {
    new App(ns, `app-${i}`, { image: i % 2 ? 'nginx:1.25' : 'nginx', replicas: i, port: 8080 + i, ...(i === 3 ? { health: '/healthz', resources: { cpu: '250m', memory: '128Mi' } } : {}) }).expose();
  }
  new Service(ns, 'plain', { selector: { app: 'x' }, ports: [{ port: 80 }] });
  new ApiObject(ns, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
  return synthStack(stack).raws.map((r) => r.value);
}

const configMap = (data: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', ...extra }, data });
const replicaSet = (replicas: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'rs', labels: { b: '2', a: '1' } },
  spec: { replicas, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: 0.5 } } }] } } },
});
// Inputs that differ in what only a value's kind or a member's order tells: each must get its own result.
const tricky: unknown[] = [
  replicaSet(1), replicaSet('1'), replicaSet(-0), replicaSet(0), replicaSet(NaN), replicaSet(null), replicaSet(undefined), replicaSet(1.5), replicaSet(2n),
  configMap({ a: '1', b: '2' }), configMap({ b: '2', a: '1' }), configMap({ a: 1 }), configMap({ a: null }), configMap([, 'x']), configMap([undefined, 'x']),
  { ...configMap({ a: '1' }), apiVersion: 'v1beta1' }, { ...configMap({}), kind: 'configmap' },
  { ...replicaSet(1), apiVersion: 'extensions/v1beta1' },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 80 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, name: 'a' }, { port: 81, name: 'b' }] } },
];

const corpus = [...docsIn('seed'), ...docsIn('broken'), ...constructObjects(), ...tricky];
const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'kite-validation-cache-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const cacheFiles: string[] = [];
afterAll(() => cacheFiles.forEach((f) => rmSync(f, { force: true })));

/**
 * Identical results: the same values (Object.is: -0 and NaN count), prototypes, members (undefined
 * ones too) and key order. Not byte-equal serializations: V8 writes a number as an int or a double
 * by how it happens to be held, which a value does not show.
 */
const same = (a: unknown, b: unknown) => {
  expect(isDeepStrictEqual(a, b)).toBe(true);
  const order = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  expect(order(a)).toBe(order(b));
};

describe('ValidationCache', () => {
  it('covers valid and invalid objects', () => {
    const results = corpus.map((d) => validateManifest(d));
    expect(results.filter((r) => r.object).length).toBeGreaterThan(30);
    expect(results.filter((r) => !r.object).length).toBeGreaterThan(20);
    expect(results.filter((r) => r.object && r.diagnostics.length > 0).length).toBeGreaterThan(0); // valid with warnings
  });

  it('gives the result validation gives, stored, read back from its file, and for every look-alike', () => {
    const file = join(scratch(), 'validated.bin');
    const plain = corpus.map((d) => validateManifest(d));
    const first = ValidationCache.open(file, 'test')!;
    const stored = corpus.map((d) => validateManifest(d, { memo: first }));
    plain.forEach((r, i) => same(stored[i], r));
    // Each valid object stored once (the corpus repeats a few): the invalid ones not at all.
    expect(first.misses).toBeGreaterThan(30);
    expect(first.misses).toBeLessThanOrEqual(plain.filter((r) => r.object).length);
    first.save();

    const again = ValidationCache.open(file, 'test')!;
    const read = corpus.map((d) => validateManifest(d, { memo: again }));
    plain.forEach((r, i) => same(read[i], r));
    expect(again.misses).toBe(0); // every valid object found: none validated again
  });

  it('validates again what it has not stored: invalid objects, another code, a file that is not one', () => {
    const file = join(scratch(), 'validated.bin');
    const cache = ValidationCache.open(file, 'one')!;
    const broken = replicaSet('three');
    const ok = replicaSet(3);
    expect(validateManifest(broken, { memo: cache }).object).toBeUndefined();
    expect(validateManifest(ok, { memo: cache }).object).toBeDefined();
    expect(cache.misses).toBe(1);
    cache.save();
    const reread = ValidationCache.open(file, 'one')!;
    same(validateManifest(broken, { memo: reread }), validateManifest(broken));
    validateManifest(ok, { memo: reread });
    expect(reread.misses).toBe(0); // the valid one found; the invalid one validated again, and again not stored

    const other = ValidationCache.open(file, 'two')!;
    validateManifest(ok, { memo: other });
    expect(other.misses).toBe(1);

    writeFileSync(file, 'not a cache');
    const garbled = ValidationCache.open(file, 'one')!;
    same(validateManifest(ok, { memo: garbled }), validateManifest(ok));
    expect(garbled.misses).toBe(1);
  });

  it('keeps only the last run’s objects when it rewrites its file', () => {
    const file = join(scratch(), 'validated.bin');
    const a = ValidationCache.open(file, 'test')!;
    validateManifest(replicaSet(1), { memo: a });
    validateManifest(replicaSet(2), { memo: a });
    a.save();
    const b = ValidationCache.open(file, 'test')!;
    validateManifest(replicaSet(2), { memo: b });
    validateManifest(replicaSet(3), { memo: b });
    expect(b.misses).toBe(1);
    b.save();
    const c = ValidationCache.open(file, 'test')!;
    validateManifest(replicaSet(1), { memo: c });
    expect(c.misses).toBe(1); // gone with the rewrite
    validateManifest(replicaSet(2), { memo: c });
    validateManifest(replicaSet(3), { memo: c });
    expect(c.misses).toBe(1);
  });

  it('is not asked about an object JSON cannot write exactly: a `__proto__` member, -0, NaN, a function, an undefined item', () => {
    const asked: unknown[] = [];
    const memo: ValidationMemo = { get: (input) => (asked.push(input), undefined), set: () => undefined };
    const parsed = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","__proto__":{"x":"1"}},"data":{"a":"1"}}') as unknown;
    same(validateManifest(parsed, { memo }), validateManifest(parsed));
    expect(asked).toHaveLength(0);
    for (const odd of [replicaSet(-0), replicaSet(NaN), replicaSet(Infinity), replicaSet(2n), configMap({ a: () => 'x' }), configMap([undefined, 'x']), configMap([, 'x']), configMap([null, 'x'])]) {
      validateManifest(odd, { memo });
    }
    expect(asked).toHaveLength(0);
    validateManifest(configMap({ a: '1' }), { memo });
    validateManifest(replicaSet(0), { memo });
    expect(asked).toHaveLength(2);

    const cache = ValidationCache.open(undefined, 'test')!;
    const withFunction = configMap({ a: () => 'x' });
    same(validateManifest(withFunction, { memo: cache }), validateManifest(withFunction));
    expect(cache.misses).toBe(0);
  });

  it('is off when kite runs from its sources, and lives in the project’s node_modules/.cache', () => {
    expect(ValidationCache.open(undefined)).toBeUndefined(); // this test runs lib/ from TypeScript
    expect(validationCacheFile([join(REPO, 'examples', 'x.ts')])).toMatch(/node_modules\/\.cache\/kite\/validated-[0-9a-f]{16}\.bin$/);
    expect(validationCacheFile([join(scratch(), 'x.yaml')])).toBeUndefined();
    expect(validationCacheFile([join(REPO, 'a.yaml')])).not.toBe(validationCacheFile([join(REPO, 'b.yaml')]));
  });
});

// Through kite's built code (the program's box runs build/program-child.js; loadInput's YAML path
// is checked the same way): a run that finds its objects in the cache loads what a run without one
// loads, and an object edited since is validated again, its errors at the user's line.
describe('loading a program or YAML files with their cache', () => {
  const program = (replicas: string) => `import { Stack, Namespace, App, ApiObject } from 'kite';
const stack = new Stack('cached');
const ns = new Namespace(stack, 'cached');
for (let i = 0; i < 3; i++) new App(ns, \`app-\${i}\`, { image: 'nginx:1.25', replicas: i === 1 ? ${replicas} : 1, port: 8080 }).expose();
new ApiObject(ns, 'old', { apiVersion: 'extensions/v1beta1', kind: 'ReplicaSet', metadata: { name: 'old' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
export default stack;
`;
  const yaml = (port: string) => `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports:
    - port: ${port}
---
apiVersion: extensions/v1beta1
kind: ReplicaSet
metadata: {name: old}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec: {containers: [{name: c, image: nginx}]}
`;
  /** What a load gives, comparable: objects with their key order, construct paths, diagnostics. */
  const shown = (r: LoadResult) => JSON.stringify([r.stacks.map((st) => [st.name, st.manifests.map((m) => [m.object, m.origin.construct, m.origin.line])]), r.diagnostics]);

  async function twice(file: string, write: (variant: string) => Promise<void>, variants: string[]) {
    const cache = validationCacheFile([file])!;
    cacheFiles.push(cache);
    rmSync(cache, { force: true });
    for (const v of variants) {
      await write(v);
      const cached = await loadInput(file, { typecheck: false });
      rmSync(cache, { force: true });
      const fresh = await loadInput(file, { typecheck: false });
      expect(shown(cached)).toBe(shown(fresh));
      expect(existsSync(cache)).toBe(true); // written by the fresh run: the next variant starts from it
    }
    return cache;
  }

  it('a program: the same stacks and diagnostics, unchanged, edited and broken', async () => {
    const dir = await scratchDir();
    dirs.push(dir);
    const file = join(dir, 'p.ts');
    await twice(file, (v) => writeFiles(dir, { 'p.ts': program(v) }), ['2', '2', '5', '-1']);
    const broken = await loadInput(file, { typecheck: false });
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', path: 'spec.replicas', line: 4, construct: 'cached/cached/app-1' }));
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'deprecated' }));
  });

  it('YAML files (the real CLI: kite runs from its build): the same output and diagnostics, at the same lines', async () => {
    const dir = await scratchDir();
    dirs.push(dir);
    const file = join(dir, 'm.yaml');
    const cache = validationCacheFile([file])!;
    cacheFiles.push(cache);
    const synth = async () => {
      const r = await runKite(['synth', file, '-o', join(dir, 'out')]);
      const out = existsSync(join(dir, 'out', 'm.k8s.yaml')) ? readFileSync(join(dir, 'out', 'm.k8s.yaml'), 'utf8') : '';
      rmSync(join(dir, 'out'), { recursive: true, force: true });
      return { ...r, out };
    };
    for (const port of ['80', '80', '81', '"x"']) {
      await writeFiles(dir, { 'm.yaml': yaml(port) });
      const cached = await synth();
      rmSync(cache, { force: true });
      const fresh = await synth();
      expect(cached).toEqual(fresh);
      expect(existsSync(cache)).toBe(true);
      if (port === '"x"') expect(fresh).toMatchObject({ code: 1, stderr: expect.stringMatching(/m\.yaml:6:\d+: Service\/web: spec\.ports\[x\]\.port: Invalid value/) });
      else expect(fresh.out).toContain(`port: ${port}`);
    }
  });
});
