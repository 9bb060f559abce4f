import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../lib/api/defaults.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { validateManifest } from '../../lib/api/validate.ts';
import { formatFieldError } from '../../lib/api/field-error.ts';

const secret = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });
const errors = (doc: KubeObject) => validateManifest(doc).diagnostics.map(formatFieldError);

describe('Secret', () => {
  it('is stored with stringData folded into data (stringData wins) and type Opaque', () => {
    const stored = applyDefaults(secret({ data: { b: 'Yg==', a: 'b2xk' }, stringData: { a: 'new' } }));
    expect(stored).toEqual(secret({ data: { a: 'bmV3', b: 'Yg==' }, type: 'Opaque' }));
    expect(applyDefaults(stored)).toEqual(stored); // idempotent
    expect(applyDefaults(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } })).type).toBe('kubernetes.io/tls');
  });

  it('validates keys per type on the folded data, never echoing secret values', () => {
    expect(errors(secret({ type: 'kubernetes.io/basic-auth' }))).toEqual(['data[username]: Required value', 'data[password]: Required value']);
    expect(errors(secret({ type: 'kubernetes.io/basic-auth', stringData: { password: 'p' } }))).toEqual([]);
    expect(errors(secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }))).toEqual(['data[ssh-privatekey]: Required value']);
    expect(errors(secret({ type: 'kubernetes.io/service-account-token' }))).toEqual(['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
    const bad = errors(secret({ type: 'kubernetes.io/dockercfg', stringData: { '.dockercfg': 'hunter2' } }));
    expect(bad).toEqual([expect.stringMatching(/^data\[\.dockercfg\]: Invalid value: "<secret contents redacted>": /)]);
    expect(bad[0]).not.toContain('hunter2');
  });
});
