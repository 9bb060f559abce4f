/**
 * The image catalog: what program an image reference runs, since no container runtime is
 * assumed. `kite.images.yaml` (found from the working directory upwards, like `.git`; `kite up
 * --images FILE` overrides) maps references — exact, or globs such as
 * `registry.example.com/team/*` — to a program (./catalog-file.ts has the schema); built-in
 * entries for base images (`busybox`, `alpine`, `debian`, `ubuntu`) run the container's own
 * command on the host. The file is checked on every lookup and re-read when it changed; an edit
 * that does not parse keeps the last good catalog and is reported. (Issue 11 §1.)
 */
import { statSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Container } from '../../../../lib/api/model.ts';
import type { Volume } from '../../../../lib/api/kinds/volume.ts';
import { parseImageReference } from '../../../../lib/api/defaults.ts';
import { parseImageCatalog, type CatalogData } from './catalog-file.ts';
import { volumeKey } from './catalog-volumes.ts';
import { compareSpecificity, familiarRepository, keyMatches, parseImageKey, type ImageKey } from './image-match.ts';
import { expand, mappingFor } from './expansion.ts';

export const IMAGE_CATALOG_FILE = 'kite.images.yaml';

/** What an image runs: its entrypoint (`command`) and default arguments (`args`), as an image's ENTRYPOINT/CMD. */
export interface ImageProgram {
  command: string[];
  args: string[];
  /** Relative paths are relative to the catalog file's directory. */
  workingDir?: string;
  env: Record<string, string>;
  /**
   * Absolute paths inside the image that stand for host programs (`/usr/local/bin/apachectl` →
   * `[node, /…/apachectl.mjs]`): an exec hook, probe or `kubectl exec` naming one runs the
   * program instead, since without a container image the path does not exist on the host.
   */
  executables?: Record<string, string[]>;
}

export type ImageLookup =
  | { ok: true; program: ImageProgram; /** Which entry matched (`kite.images.yaml: registry/*`, `built-in: busybox`). */ entry: string }
  | {
      ok: false;
      reason: 'ErrImagePull' | 'InvalidImageName';
      /** The pull error as the kubelet words it (`Failed to pull image "x": ...`). */
      message: string;
      /** The exact catalog lines that would map it (for the event). */
      hint: string;
    };

export interface ImageCatalog {
  /** The catalog file in use, if any. */
  readonly file: string | undefined;
  /** Why the file (as it is now) cannot be used, if it cannot; the last good catalog stays in use. */
  readonly error: string | undefined;
  resolve(image: string): ImageLookup;
  /**
   * The catalog's optional `volumes:` section: a local directory standing in for a volume the
   * host cannot provide (an `nfs` server's export, a cloud disk), or undefined. Relative paths
   * are relative to the catalog file's directory.
   */
  volumeDirectory(volume: Volume): string | undefined;
  /** Stops watching the file (a no-op here: the file is checked on each lookup, nothing watches it). */
  close(): void;
}

/** Base images whose programs are the host's own: the container's command runs as written. */
const BUILT_IN_IMAGES = ['busybox', 'alpine', 'debian', 'ubuntu'];
/** Their CMD when the container gives no command (each image's default is a shell). */
const BUILT_IN_PROGRAM: ImageProgram = { command: [], args: ['sh'], env: {} };
const BUILT_INS = BUILT_IN_IMAGES.map((name) => ({ written: name, key: parseImageKey(name) as ImageKey }));

/** The nearest `kite.images.yaml` from `cwd` upwards, or undefined. */
export function findImageCatalog(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, IMAGE_CATALOG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function openImageCatalog(o: { file?: string; cwd: string; /** Told once per broken version of the file. */ onError?(message: string): void }): ImageCatalog {
  const file = o.file !== undefined ? resolve(o.cwd, o.file) : findImageCatalog(o.cwd);
  let data: CatalogData = { entries: [], volumes: new Map() };
  let error: string | undefined;
  let seen: string | undefined;

  /** Re-reads the file when its identity, size or mtime changed: a stat per lookup is cheap. */
  const refresh = () => {
    if (file === undefined) return;
    let stamp: string;
    try {
      const st = statSync(file);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      stamp = 'missing';
      if (seen !== stamp) report(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      seen = stamp;
      return;
    }
    if (stamp === seen) return;
    seen = stamp;
    const read = parseImageCatalog(readFileSync(file, 'utf8'), file);
    if (read.ok) {
      data = read.data;
      error = undefined;
    } else report(read.errors.join('\n'));
  };
  const report = (message: string) => {
    error = message;
    o.onError?.(message);
  };
  refresh();

  return {
    file,
    get error() {
      refresh();
      return error;
    },
    resolve(image) {
      refresh();
      return lookup(image, data, file);
    },
    volumeDirectory(volume) {
      refresh();
      const k = volumeKey(volume);
      return k && data.volumes.get(k.source)?.get(k.key);
    },
    close() {},
  };
}

function lookup(image: string, data: CatalogData, file: string | undefined): ImageLookup {
  const ref = parseImageReference(image);
  if (!ref) {
    // image_manager.go EnsureImageExists / applyDefaultImageTag, with distribution/reference's
    // error (ErrNameContainsUppercase when only the case is wrong). The kubelet's event for it is
    // a Warning `InspectFailed` with this message.
    const why = parseImageReference(image.toLowerCase()) ? 'invalid reference format: repository name must be lowercase' : 'invalid reference format';
    return {
      ok: false,
      reason: 'InvalidImageName',
      message: `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": ${why}`,
      hint: '',
    };
  }
  const matches = data.entries.filter((e) => keyMatches(e.key, ref));
  // A stable sort keeps file order among equally specific entries.
  const best = matches.sort((a, b) => compareSpecificity(a.key, b.key))[0];
  if (best) return { ok: true, program: best.program, entry: `${IMAGE_CATALOG_FILE}: ${best.written}` };
  const builtIn = BUILT_INS.find((b) => keyMatches(b.key, ref));
  if (builtIn) return { ok: true, program: BUILT_IN_PROGRAM, entry: `built-in: ${builtIn.written}` };
  const where = file ? `the image catalog ${file}` : `no ${IMAGE_CATALOG_FILE} found (kite up --images FILE names one)`;
  const name = ref.digest ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag}`;
  return {
    ok: false,
    reason: 'ErrImagePull',
    message: `Failed to pull image "${image}": image "${name}" is not mapped to a program: ${file ? `no entry in ${where}` : where}`,
    hint: catalogHint(image),
  };
}

/** The lines that would map `image` (its repository, any tag) to a program. */
function catalogHint(image: string): string {
  const repo = familiarRepository(image);
  const key = /^[a-z0-9][a-z0-9._/-]*$/.test(repo) ? repo : JSON.stringify(repo);
  return `images:\n  ${key}:\n    command: [/path/to/program]`;
}

/**
 * The argv a container runs: Kubernetes' rule — `command` replaces the image's entrypoint (and
 * drops its default args), `args` replaces its default args — with `$(VAR)` references in the
 * container's own `command`/`args` expanded from `env` (`$$` escapes), as the kubelet expands
 * them; the image's entrypoint and args are taken as they are. An empty result means there is
 * nothing to run (containerd: `no command specified`).
 */
export function containerArgv(program: ImageProgram, c: Container, env: Record<string, string>): string[] {
  const mapping = mappingFor(env);
  const expanded = (list: string[] | undefined) => (list ?? []).map((s) => expand(s, mapping));
  let argv: string[];
  if (c.command?.length) argv = [...expanded(c.command), ...expanded(c.args)];
  else if (c.args?.length) argv = [...program.command, ...expanded(c.args)];
  else argv = [...program.command, ...program.args];
  return imageExecutable(program, argv);
}

/** `argv` with its program replaced by the host program the image maps that path to, if it does. */
export function imageExecutable(program: ImageProgram, argv: string[]): string[] {
  const mapped = argv[0] !== undefined ? program.executables?.[argv[0]] : undefined;
  return mapped ? [...mapped, ...argv.slice(1)] : argv;
}
