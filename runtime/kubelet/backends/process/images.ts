// TEMP(core): replaced by the owner's version at merge
/**
 * The image catalog: what program an image reference runs, since no container runtime is
 * assumed. `kite.images.yaml` (found from the working directory upwards, like `.git`; `kite up
 * --images FILE` overrides) maps references — exact, or globs such as
 * `registry.example.com/team/*` — to a program; built-in entries for base images (`busybox`,
 * `alpine`, `debian`, `ubuntu`) run the container's own command on the host. Re-read when the
 * file changes. (Issue 11 §1 — contract; implementation by the images work.)
 */
import type { Container } from '../../../../lib/api/model.ts';
import type { Volume } from '../../../../lib/api/kinds/volume.ts';

/** What an image runs: its entrypoint (`command`) and default arguments (`args`), as an image's ENTRYPOINT/CMD. */
export interface ImageProgram {
  command: string[];
  args: string[];
  /** Relative paths are relative to the catalog file's directory. */
  workingDir?: string;
  env: Record<string, string>;
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
  resolve(image: string): ImageLookup;
  /**
   * The catalog's optional `volumes:` section: a local directory standing in for a volume the
   * host cannot provide (an `nfs` server's export, a cloud disk), or undefined. Relative paths
   * are relative to the catalog file's directory.
   */
  volumeDirectory(volume: Volume): string | undefined;
  /** Stops watching the file. */
  close(): void;
}

export function openImageCatalog(o: { file?: string; cwd: string }): ImageCatalog {
  return {
    file: o.file,
    resolve: (image) =>
      /^(busybox|alpine|debian|ubuntu)(:.*)?$/.test(image)
        ? { ok: true, program: { command: [], args: [], env: {} }, entry: `built-in: ${image}` }
        : image.startsWith('jonbaier/node-express-info')
          ? { ok: true, program: { command: [process.execPath, '-e', "require('http').createServer((q,s)=>s.end('ok\\n')).listen(8080, process.env.POD_IP)"], args: [], env: {} }, entry: 'temp' }
          : { ok: false, reason: 'ErrImagePull', message: `Failed to pull image "${image}": not in the image catalog`, hint: `${image}:\n  command: [...]` },
    volumeDirectory: () => undefined,
    close: () => {},
  };
}

/**
 * The argv a container runs: Kubernetes' rule — `command` replaces the image's entrypoint (and
 * drops its default args), `args` replaces its default args — with `$(VAR)` references
 * expanded from `env` (`$$` escapes), as the kubelet expands them.
 */
export function containerArgv(program: ImageProgram, c: Container, _env: Record<string, string>): string[] {
  return c.command ? [...c.command, ...(c.args ?? [])] : [...program.command, ...(c.args ?? program.args)];
}
