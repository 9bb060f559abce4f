import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { isHashChange } from '../../../lib/plan/rollout/plan-rolls.ts';
import { stampTemplateHash, stampedHash, templateHash, TEMPLATE_HASH_LABEL } from '../../../lib/plan/rollout/template-hash.ts';

const rs = (image: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api', namespace: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image, ...extra }] } } },
});

describe('template hash', () => {
  it('is stamped on the template only, not the selector', () => {
    const s = stampTemplateHash(rs('x:1'));
    const spec = s.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
    expect(spec.template.metadata.labels[TEMPLATE_HASH_LABEL]).toMatch(/^[0-9a-f]{10}$/);
    expect(spec.selector.matchLabels).toEqual({ app: 'api' });
  });

  it('changes with the template, not with key order nor with its own label', () => {
    const a = stampedHash(stampTemplateHash(rs('x:1')));
    expect(stampedHash(stampTemplateHash(rs('x:2')))).not.toBe(a);
    expect(stampedHash(stampTemplateHash(stampTemplateHash(rs('x:1'))))).toBe(a);
    const t = (rs('x:1').spec as { template: { metadata: { labels: Record<string, string> }; spec: unknown } }).template;
    const reordered = { spec: t.spec, metadata: t.metadata };
    expect(templateHash(reordered)).toBe(a);
  });

  it('leaves other kinds alone', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    expect(stampTemplateHash(pod)).toBe(pod);
    const dep = { ...rs('x:1'), kind: 'Deployment' };
    expect(stampedHash(stampTemplateHash(dep))).toBeUndefined();
  });

  it('its own change is recognised by path', () => {
    expect(isHashChange(`spec.template.metadata.labels[${TEMPLATE_HASH_LABEL}]`)).toBe(true);
    expect(isHashChange('spec.template.spec.containers[api].image')).toBe(false);
  });
});
