import { describe, expect, it } from 'vitest';
import { scaffoldFiles, stackName } from '../../lib/init/scaffold.ts';

describe('stackName', () => {
  it('is a DNS label of at most 40 characters, from the unscoped package name', () => {
    expect(stackName('infra')).toBe('infra');
    expect(stackName('@team/web.prod')).toBe('web-prod');
    expect(stackName('9lives')).toBe('lives');
    expect(stackName(`a${'-b'.repeat(40)}`)).toMatch(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/);
    expect(stackName('123')).toBe('infra');
  });
});

describe('scaffoldFiles', () => {
  it('maps the image stack.ts uses to the program it ships', () => {
    const files = new Map(scaffoldFiles({ name: 'infra', kiteSpec: '^1.0.0' }).map((f) => [f.path, f.text]));
    const image = /image: '([^:']+):/.exec(files.get('stack.ts')!)?.[1];
    expect(image).toBe('example/hello');
    expect(files.get('kite.images.yaml')).toContain(`  ${image}:`);
    expect(files.get('kite.images.yaml')).toContain('command: [node, ./app/server.mjs]');
    expect(files.has('app/server.mjs')).toBe(true);
    expect(files.get('stack.ts')).toContain("health: '/healthz'");
    expect(files.get('app/server.mjs')).toContain("path === '/healthz'");
  });
});
