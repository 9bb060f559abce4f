/** The image catalog: kite.images.yaml lookups, reloads, errors, and the argv a container runs. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../../../lib/api/model.ts';
import type { Volume } from '../../../../../lib/api/kinds/volume.ts';
import { containerArgv, findImageCatalog, imageExecutable, openImageCatalog, type ImageProgram } from '../../../../../runtime/kubelet/backends/process/images.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kite-images-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function catalog(text: string, onError?: (m: string) => void) {
  writeFileSync(join(dir, 'kite.images.yaml'), text);
  return openImageCatalog({ cwd: dir, onError });
}

function program(c: ReturnType<typeof catalog>, image: string): { entry: string; program: ImageProgram } {
  const r = c.resolve(image);
  if (!r.ok) throw new Error(r.message);
  return r;
}

const CATALOG = `
images:
  jonbaier/node-express-info:
    command: [node, ./apps/node-express-info.mjs]
  "kuard-amd64:blue":
    command: [node, ./apps/kuard.mjs]
    workingDir: ./apps
    env: { COLOR: blue, N: 3 }
  kuard-amd64:
    command: [node, ./apps/kuard.mjs, --any-tag]
  "registry.example.com/team/*":
    command: [team-program]
    args: [--default]
  "registry.example.com/team/special*":
    command: [special-program]
  "registry.example.com/**":
    command: [anything-there]
  "**:canary":
    command: [canary]
  bitnami/apache:
    command: [node, ./apps/apache.mjs]
    executables:
      /usr/local/bin/apachectl: [node, ./apps/apachectl.mjs]
  my/toolbox: {}
volumes:
  nfs:
    "my.nfs.server.local:/exports/": ./data/exports
  persistentVolumeClaim:
    my-claim: /srv/claim
`;

describe('image catalog', () => {
  it('maps references as Kubernetes normalises them, most specific entry first', () => {
    const c = catalog(CATALOG);
    expect(c.file).toBe(join(dir, 'kite.images.yaml'));
    expect(program(c, 'jonbaier/node-express-info:latest').program.command).toEqual(['node', join(dir, 'apps/node-express-info.mjs')]);
    expect(program(c, 'docker.io/jonbaier/node-express-info').entry).toBe('kite.images.yaml: jonbaier/node-express-info');
    expect(program(c, 'index.docker.io/jonbaier/node-express-info@sha256:' + 'a'.repeat(64)).entry).toBe('kite.images.yaml: jonbaier/node-express-info');
    // The tag's own entry beats the repository's, which serves the other tags.
    const blue = program(c, 'kuard-amd64:blue');
    expect(blue.entry).toBe('kite.images.yaml: kuard-amd64:blue');
    expect(blue.program).toEqual({ command: ['node', join(dir, 'apps/kuard.mjs')], args: [], workingDir: join(dir, 'apps'), env: { COLOR: 'blue', N: '3' } });
    expect(program(c, 'docker.io/library/kuard-amd64:green').entry).toBe('kite.images.yaml: kuard-amd64');
    // Globs: the more literal one wins; `*` stays within a path component, `**` does not.
    expect(program(c, 'registry.example.com/team/web:1').program.command).toEqual(['team-program']);
    expect(program(c, 'registry.example.com/team/special-web').program.command).toEqual(['special-program']);
    expect(program(c, 'registry.example.com/team/deep/web').program.command).toEqual(['anything-there']);
    // A glob with a tag beats one without; a repository entry beats both.
    expect(program(c, 'registry.example.com/team/web:canary').program.command).toEqual(['canary']);
    expect(program(c, 'kuard-amd64:canary').program.command).toEqual(['node', join(dir, 'apps/kuard.mjs'), '--any-tag']);
    expect(program(c, 'my/toolbox:1').program).toEqual({ command: [], args: [], env: {} });
  });

  it('runs base images’ commands on the host, a shell when the container gives none', () => {
    const c = openImageCatalog({ cwd: dir });
    expect(c.file).toBeUndefined();
    for (const image of ['busybox', 'busybox:1.36', 'alpine:3.20', 'docker.io/library/debian:bookworm', 'ubuntu@sha256:' + 'b'.repeat(64)]) {
      const r = program(c, image);
      expect(r.entry).toMatch(/^built-in: /);
      expect(r.program).toEqual({ command: [], args: ['sh'], env: {} });
    }
    expect(c.resolve('someone/busybox').ok).toBe(false);
  });

  it('refuses an unmapped image with the kubelet’s pull error and the lines to add', () => {
    const c = catalog(CATALOG);
    expect(c.resolve('quay.io/org/app:v2')).toEqual({
      ok: false,
      reason: 'ErrImagePull',
      message: `Failed to pull image "quay.io/org/app:v2": image "quay.io/org/app:v2" is not mapped to a program: no entry in the image catalog ${join(dir, 'kite.images.yaml')}`,
      hint: 'images:\n  quay.io/org/app:\n    command: [/path/to/program]',
    });
    const hint = c.resolve('localhost:5000/app:1');
    expect(hint.ok === false && hint.hint).toBe('images:\n  "localhost:5000/app":\n    command: [/path/to/program]');
    const none = openImageCatalog({ cwd: dir, file: undefined }).resolve('nginx');
    expect(none.ok === false && none.message).toContain('nginx');
  });

  it('calls a malformed reference InvalidImageName', () => {
    const r = catalog(CATALOG).resolve('Not A/Valid:Image');
    expect(r).toMatchObject({ ok: false, reason: 'InvalidImageName' });
    expect(r.ok === false && r.message).toBe(
      'Failed to apply default image tag "Not A/Valid:Image": couldn\'t parse image reference "Not A/Valid:Image": invalid reference format',
    );
    const upper = catalog(CATALOG).resolve('DUMMY_IMAGE:TEST');
    expect(upper.ok === false && upper.message).toBe(
      'Failed to apply default image tag "DUMMY_IMAGE:TEST": couldn\'t parse image reference "DUMMY_IMAGE:TEST": invalid reference format: repository name must be lowercase',
    );
  });

  it('maps volumes the host cannot provide by their storage, not their name', () => {
    const c = catalog(CATALOG);
    const nfs = (path: string) => ({ name: 'anything', nfs: { server: 'my.nfs.server.local', path } }) as Volume;
    expect(c.volumeDirectory(nfs('/exports'))).toBe(join(dir, 'data/exports'));
    expect(c.volumeDirectory(nfs('/exports/'))).toBe(join(dir, 'data/exports'));
    expect(c.volumeDirectory(nfs('/other'))).toBeUndefined();
    expect(c.volumeDirectory({ name: 'v', persistentVolumeClaim: { claimName: 'my-claim' } } as Volume)).toBe('/srv/claim');
    expect(c.volumeDirectory({ name: 'v', emptyDir: {} } as Volume)).toBeUndefined();
  });

  it('points at the file, line and entry of every mistake', () => {
    const errors: string[] = [];
    const c = catalog(
      `images:
  good/image:
    command: node
  "Bad Ref":
    command: [x]
  other/image:
    comand: [x]
    env: { A: [1] }
    executables: { relative/path: x }
volumes:
  floppy: {}
`,
      (m) => errors.push(m),
    );
    const file = join(dir, 'kite.images.yaml');
    expect(c.error).toBe(
      [
        `${file}:3:14: images["good/image"].command: expected a list of strings`,
        `${file}:4:3: images["Bad Ref"]: invalid image reference "Bad Ref"`,
        `${file}:7:5: images["other/image"].comand: unknown field (expected command, args, workingDir, env, executables)`,
        `${file}:8:15: images["other/image"].env.A: expected a string value`,
        `${file}:9:35: images["other/image"].executables: "relative/path" is not an absolute path inside the image`,
        `${file}:11:3: volumes.floppy: unknown volume source (expected nfs, persistentVolumeClaim, awsElasticBlockStore, gcePersistentDisk, azureDisk, azureFile, cinder)`,
      ].join('\n'),
    );
    expect(errors).toEqual([c.error]);
    expect(catalog('images: [\n').error).toMatch(new RegExp(`^${file}:\\d+:\\d+: `));
    expect(catalog('images:\n  a/b: {}\n  a/b: {}\n').error).toContain(`${file}:3:3: Map keys must be unique`);
  });

  it('re-reads the file when it changes, keeping the last good catalog through a broken edit', () => {
    const errors: string[] = [];
    const c = catalog('images:\n  app/one:\n    command: [one]\n', (m) => errors.push(m));
    expect(program(c, 'app/one').program.command).toEqual(['one']);
    expect(c.resolve('app/two').ok).toBe(false);

    const file = join(dir, 'kite.images.yaml');
    const touch = (text: string, at: number) => {
      writeFileSync(file, text);
      utimesSync(file, at, at); // a distinct mtime even within the file system's time resolution
    };
    touch('images:\n  app/two:\n    command: [two]\n', 1_000_000);
    expect(program(c, 'app/two').program.command).toEqual(['two']);
    expect(c.resolve('app/one').ok).toBe(false);

    touch('images:\n  app/three:\n    command: three\n', 2_000_000);
    expect(program(c, 'app/two').program.command).toEqual(['two']);
    expect(c.error).toContain('images["app/three"].command: expected a list of strings');
    expect(errors).toHaveLength(1);
    c.resolve('app/two');
    expect(errors).toHaveLength(1); // reported once per broken version

    touch('images:\n  app/three:\n    command: [three]\n', 3_000_000);
    expect(program(c, 'app/three').program.command).toEqual(['three']);
    expect(c.error).toBeUndefined();
    c.close();
  });

  it('is found from the working directory upwards; --images names one explicitly', () => {
    writeFileSync(join(dir, 'kite.images.yaml'), 'images:\n  up/there: {}\n');
    const deep = join(dir, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findImageCatalog(deep)).toBe(join(dir, 'kite.images.yaml'));
    expect(openImageCatalog({ cwd: deep }).resolve('up/there').ok).toBe(true);
    writeFileSync(join(deep, 'mine.yaml'), 'images:\n  mine/only: {}\n');
    const explicit = openImageCatalog({ cwd: deep, file: 'mine.yaml' });
    expect(explicit.file).toBe(join(deep, 'mine.yaml'));
    expect(explicit.resolve('mine/only').ok).toBe(true);
    expect(explicit.resolve('up/there').ok).toBe(false);
    expect(openImageCatalog({ cwd: deep, file: 'absent.yaml' }).error).toBe(`${join(deep, 'absent.yaml')}: no such file`);
  });
});

describe('containerArgv', () => {
  const image: ImageProgram = { command: ['/entrypoint'], args: ['--default'], env: {}, executables: { '/usr/local/bin/ctl': ['node', '/apps/ctl.mjs'] } };
  const argv = (c: Partial<Container>, env: Record<string, string> = {}) => containerArgv(image, { name: 'c', image: 'x', ...c } as Container, env);

  it('follows Kubernetes’ command/args override rules', () => {
    expect(argv({})).toEqual(['/entrypoint', '--default']);
    expect(argv({ args: ['--mine'] })).toEqual(['/entrypoint', '--mine']);
    expect(argv({ command: ['/bin/echo'] })).toEqual(['/bin/echo']);
    expect(argv({ command: ['/bin/echo'], args: ['hi'] })).toEqual(['/bin/echo', 'hi']);
    expect(containerArgv({ command: [], args: ['sh'], env: {} }, { name: 'c', image: 'busybox', args: ['echo', 'x'] } as Container, {})).toEqual(['echo', 'x']);
  });

  it('expands $(VAR) in the container’s command and args only', () => {
    const env = { NAME: 'world', PORT: '80' };
    expect(argv({ command: ['echo', 'hello $(NAME)', '$$(NAME)', '$(MISSING)'], args: ['--port=$(PORT)'] }, env)).toEqual([
      'echo',
      'hello world',
      '$(NAME)',
      '$(MISSING)',
      '--port=80',
    ]);
    expect(containerArgv({ command: ['$(NAME)'], args: [], env: {} }, { name: 'c', image: 'x' } as Container, env)).toEqual(['$(NAME)']);
  });

  it('runs the host program an image path stands for', () => {
    expect(argv({ command: ['/usr/local/bin/ctl', '-k', 'graceful-stop'] })).toEqual(['node', '/apps/ctl.mjs', '-k', 'graceful-stop']);
    expect(imageExecutable(image, ['/usr/local/bin/ctl'])).toEqual(['node', '/apps/ctl.mjs']);
    expect(imageExecutable(image, ['ls', '/usr/local/bin/ctl'])).toEqual(['ls', '/usr/local/bin/ctl']);
  });
});
