import { describe, expect, it } from 'vitest';
import { imageFrom, parseImageRef } from '../../lib/policy/image-ref.ts';

describe('image references', () => {
  it('normalize Docker Hub names and tell a registry port from a tag', () => {
    expect(parseImageRef('nginx')).toEqual({ name: 'docker.io/library/nginx' });
    expect(parseImageRef('jonbaier/node-express-info:latest')).toEqual({ name: 'docker.io/jonbaier/node-express-info', tag: 'latest' });
    expect(parseImageRef('localhost:5000/web')).toEqual({ name: 'localhost:5000/web' });
    expect(parseImageRef('registry.acme.dev/team/web:1.2@sha256:abc')).toEqual({ name: 'registry.acme.dev/team/web', tag: '1.2', digest: 'sha256:abc' });
  });

  it('match a prefix on whole path components only', () => {
    expect(imageFrom('registry.acme.dev/web:1', 'registry.acme.dev')).toBe(true);
    expect(imageFrom('registry.acme.dev.evil.io/web:1', 'registry.acme.dev')).toBe(false);
    expect(imageFrom('busybox:1.36', 'docker.io/library/')).toBe(true);
    expect(imageFrom('jonbaier/x', 'docker.io/library')).toBe(false);
  });
});
