// TEMP(core): replaced by the owner's version at merge
/**
 * A pod's sandbox: its directory in the state dir, its volumes, and how a container's process
 * is started inside it. Where the host allows (bubblewrap or `unshare`, see ./host-features.ts)
 * the process runs in a private mount namespace where volumes appear at their `mountPath` and
 * `/etc/hosts`, `/etc/resolv.conf` are the pod's own; otherwise each mount's host directory is
 * given in a documented variable. Where cgroups are available, the process joins its
 * container's cgroup before exec. (Issue 11 §3, §9 — contract.)
 */
import type { ConfigMap, Container, Pod, Secret } from '../../../../lib/api/model.ts';
import type { Volume } from '../../../../lib/api/kinds/volume.ts';
import type { HostFeatures } from './host-features.ts';

export interface VolumeSources {
  configMap(ns: string, name: string): ConfigMap | undefined;
  secret(ns: string, name: string): Secret | undefined;
  /** A local directory standing in for a volume the host cannot provide (the image catalog's `volumes:`). */
  mappedDirectory(volume: Volume): string | undefined;
}

/** How to spawn one process of a container in the sandbox. */
export interface SandboxCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export type SandboxSetup =
  | { ok: true; sandbox: PodSandbox }
  /** A FailedMount: `MountVolume.SetUp failed for volume "<volume>" : <message>`. */
  | { ok: false; volume: string; message: string };

export interface PodSandbox {
  /** `<root>/<ns>_<pod>_<uid>`. */
  readonly dir: string;
  /**
   * The process to spawn for `argv` of container `c` with `env`: wrapped in the mount namespace
   * (and the container's cgroup) where the host allows, with the mount variables otherwise.
   * `cwd` is the container's workingDir (or the program's), else the sandbox's root.
   */
  command(c: Container, argv: string[], env: Record<string, string>, workingDir?: string): SandboxCommand;
  /** Rewrites ConfigMap and Secret volumes whose objects changed. */
  refresh(sources: VolumeSources): Promise<void>;
  /** Removes the pod's directory (emptyDirs with it). */
  remove(): Promise<void>;
}

export async function preparePodSandbox(root: string, pod: Pod, _features: HostFeatures, _sources: VolumeSources): Promise<SandboxSetup> {
  const { mkdir, rm } = await import('node:fs/promises');
  const dir = `${root}/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;
  await mkdir(dir, { recursive: true });
  const sandbox: PodSandbox = {
    dir,
    command: (_c: Container, argv: string[], env: Record<string, string>, workingDir?: string) => ({ file: argv[0] ?? '', args: argv.slice(1), env, cwd: workingDir ?? dir }),
    refresh: async () => {},
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  return { ok: true, sandbox };
}
