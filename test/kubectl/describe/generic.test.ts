import { describe, expect, it } from 'vitest';
import { camelcaseSplit, smartLabelFor } from '../../../lib/kubectl/describe/generic.ts';

describe('the generic describer', () => {
  it('labels generic fields as kubectl (smartLabelFor)', () => {
    expect(camelcaseSplit('PDFLoader')).toEqual(['PDF', 'Loader']);
    expect(smartLabelFor('holderIdentity')).toBe('Holder Identity');
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('leaseDurationSeconds')).toBe('Lease Duration Seconds');
    expect(smartLabelFor('kube-node-lease')).toBe('kube-node-lease'.split('-').map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' - '));
    expect(smartLabelFor('x.y')).toBe('x.y');
  });
});
