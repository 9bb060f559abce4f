import { describe, expect, it } from 'vitest';
import { npmPackageName } from '../../lib/init/package-name.ts';

describe('npmPackageName', () => {
  it('keeps a valid name', () => {
    expect(npmPackageName('infra')).toBe('infra');
    expect(npmPackageName('@team/infra.prod')).toBe('@team/infra.prod');
  });

  it('lowercases and replaces what npm refuses', () => {
    expect(npmPackageName('My Infra (prod)')).toBe('my-infra-prod');
    expect(npmPackageName('@Team X/Web App')).toBe('@team-x/web-app');
    expect(npmPackageName('_private')).toBe('private');
    expect(npmPackageName('x'.repeat(300))).toHaveLength(214);
  });

  it('gives up when nothing usable is left', () => {
    expect(npmPackageName('...')).toBeUndefined();
    expect(npmPackageName('@/x')).toBeUndefined();
    expect(npmPackageName('@team/__')).toBeUndefined();
  });
});
