import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { readRevisionSecret, revisionSecret, revisionSecretName, RevisionFormatError, stackLabelValue } from '../../../lib/plan/history/revision.ts';
import { revision } from './fixtures.ts';

describe('a revision Secret', () => {
  it('round-trips, named and labelled for its stack, its payload gzipped', () => {
    const s = revisionSecret(revision(3));
    expect(s.metadata.name).toBe('kite-revision-web.v3');
    expect(s.metadata.namespace).toBe('default');
    expect(s.type).toBe('kite.dev/revision.v1');
    expect(s.metadata.labels).toEqual({ 'kite.dev/stack': 'web', 'kite.dev/revision': '3', 'app.kubernetes.io/managed-by': 'kite' });
    expect(s.metadata.annotations).toEqual({ 'kite.dev/stack': 'web' });
    // Values stay out of plain sight: not in the Secret's text, even base64-decoded once.
    expect(Buffer.from(s.data.revision!, 'base64').toString('latin1')).not.toContain('hunter2');
    expect(readRevisionSecret(s)).toEqual(revision(3));
  });

  it('names a stack too long for a label by a prefix and a hash, distinct per stack', () => {
    const long = `${'a'.repeat(70)}`;
    const value = stackLabelValue(long);
    expect(value.length).toBeLessThanOrEqual(63);
    expect(value).toMatch(/^a{52}-[0-9a-f]{10}$/);
    expect(stackLabelValue(`${long}b`)).not.toBe(value);
    expect(revisionSecretName(long, 12)).toBe(`kite-revision-${value}.v12`);
  });

  it('is refused, naming the Secret and the field, when it cannot be read', () => {
    const bad = (data: Record<string, string> | undefined) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kite-revision-web.v1' }, data }) as KubeObject;
    expect(() => readRevisionSecret(bad(undefined))).toThrow(new RevisionFormatError('kite-revision-web.v1', 'no data.revision'));
    expect(() => readRevisionSecret(bad({ revision: Buffer.from('plain').toString('base64') }))).toThrow(/is not a readable kite revision: data\.revision is not gzipped JSON/);
    const edited = gzipSync(JSON.stringify({ ...revision(1), revision: 'one' })).toString('base64');
    expect(() => readRevisionSecret(bad({ revision: edited }))).toThrow(/^default\/Secret\/kite-revision-web\.v1 is not a readable kite revision: revision: /);
  });
});
