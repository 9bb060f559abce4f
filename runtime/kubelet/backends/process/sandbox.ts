/**
 * A pod's sandbox: its directory in the state dir, its volumes, and how a container's process
 * is started inside it. Where the host allows (bubblewrap or `unshare`, see ./host-features.ts)
 * the process runs in a private mount namespace where volumes appear at their `mountPath` and
 * `/etc/hosts`, `/etc/resolv.conf` are the pod's own; otherwise each mount's host directory is
 * given in a documented variable. Where cgroups are available, the process joins its
 * container's cgroup before exec. (Issue 11 §3, §9 — contract.)
 */
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Container, Pod, Secret } from '../../../../lib/api/model.ts';
import type { Volume } from '../../../../lib/api/kinds/volume.ts';
import type { HostFeatures } from './host-features.ts';
import { cgroupProcsOf } from './limits.ts';
import { mountPoints, mountTool } from './mounts.ts';
import { hostOnlyDns, writePodFiles } from './pod-files.ts';
import type { NodeDnsSettings, PodDnsWarning } from './pod-dns.ts';
import { wrapCommand, type BindMount } from './sandbox-command.ts';
import { projectObjectVolume, setUpVolume, volumeDir, type PreparedVolume } from './volumes.ts';

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
  /** `dnsWarnings`: MissingClusterDNS / DNSConfigForming, for the pod's events. */
  | { ok: true; sandbox: PodSandbox; dnsWarnings: PodDnsWarning[] }
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
  /** What the sandbox could not honour (an unbounded sizeLimit, no tmpfs), for the pod's events. */
  readonly notes: string[];
  /** Rewrites ConfigMap and Secret volumes whose objects changed. */
  refresh(sources: VolumeSources): Promise<void>;
  /** Removes the pod's directory (emptyDirs with it). */
  remove(): Promise<void>;
}

export interface SandboxOptions {
  /** The pod's IP for its /etc/hosts (default: status.podIP). */
  podIP?: string;
  /** The node's DNS settings for the pod's resolv.conf (default: the host's resolv.conf, no cluster DNS). */
  dns?: NodeDnsSettings;
}

/** The variable naming a mount's host directory where there is no mount namespace: `KITE_MOUNT_<VOLUME>`. */
export function mountVariable(volumeName: string): string {
  return `KITE_MOUNT_${volumeName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** `<root>/<ns>_<pod>_<uid>`, as /var/log/pods names a pod's directory. */
export function podSandboxDir(root: string, pod: Pod): string {
  const m = pod.metadata;
  return join(root, `${m.namespace ?? 'default'}_${m.name}_${m.uid ?? ''}`);
}

/** Unmounts what kite mounted below the pod's directory (tmpfs emptyDirs), then removes it. */
export async function removePodSandboxDir(dir: string): Promise<void> {
  const below = (await mountPoints())
    .filter((m) => m.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of below) await mountTool('umount', ['-l', m]);
  await fs.rm(dir, { recursive: true, force: true });
}

const HOSTS = '/etc/hosts';
const RESOLV_CONF = '/etc/resolv.conf';

class Sandbox implements PodSandbox {
  constructor(
    readonly dir: string,
    private readonly pod: Pod,
    private readonly features: HostFeatures,
    private readonly volumes: Map<string, PreparedVolume>,
    private readonly podFiles: { hosts: string; resolvConf: string },
  ) {}

  get notes(): string[] {
    return [...this.volumes.values()].flatMap((v) => (v.note ? [v.note] : []));
  }

  private binds(c: Container): BindMount[] {
    const binds: BindMount[] = [];
    for (const m of c.volumeMounts ?? []) {
      const v = this.volumes.get(m.name);
      if (!v) continue;
      // ConfigMap and Secret volumes are always read-only in the container, as upstream mounts them.
      const readOnly = m.readOnly === true || v.kind === 'configMap' || v.kind === 'secret';
      const source = m.subPath ? join(v.hostPath, m.subPath) : v.hostPath;
      // A subPath that does not exist yet is made, as the kubelet does (a directory).
      if (m.subPath && !existsSync(source)) mkdirSync(source, { recursive: true });
      binds.push({ source, target: m.mountPath, readOnly });
    }
    const taken = new Set(binds.map((b) => b.target));
    if (!taken.has(HOSTS) && this.pod.spec?.hostNetwork !== true) binds.push({ source: this.podFiles.hosts, target: HOSTS, readOnly: false });
    if (!taken.has(RESOLV_CONF)) binds.push({ source: this.podFiles.resolvConf, target: RESOLV_CONF, readOnly: false });
    return binds;
  }

  /** Without a namespace the program finds each mount through `KITE_MOUNT_<VOLUME>` and the pod's directory in `KITE_POD_DIR`. */
  private mountEnv(c: Container): Record<string, string> {
    const env: Record<string, string> = { KITE_POD_DIR: this.dir };
    for (const m of c.volumeMounts ?? []) {
      const v = this.volumes.get(m.name);
      if (v) env[mountVariable(m.name)] = v.hostPath;
    }
    return env;
  }

  command(c: Container, argv: string[], env: Record<string, string>, workingDir?: string) {
    const namespaced = this.features.mountNamespace !== 'none';
    return wrapCommand({
      mountNamespace: this.features.mountNamespace,
      binds: namespaced ? this.binds(c) : [],
      cgroupProcs: cgroupProcsOf(this.pod, c.name),
      argv,
      env: namespaced ? env : { ...this.mountEnv(c), ...env },
      workdir: workingDir,
      hostCwd: this.dir,
    });
  }

  /** Per ConfigMap/Secret volume, the resourceVersion of the object last projected: refreshes run often, and most find nothing new. */
  private readonly projected = new Map<string, string | undefined>();

  async refresh(sources: VolumeSources): Promise<void> {
    const ns = this.pod.metadata.namespace ?? 'default';
    for (const v of this.pod.spec?.volumes ?? []) {
      if (!v.configMap && !v.secret) continue;
      const source = v.configMap ? sources.configMap(ns, v.configMap.name ?? '') : sources.secret(ns, v.secret?.secretName ?? '');
      const version = source?.metadata.resourceVersion;
      if (this.projected.has(v.name) && this.projected.get(v.name) === version) continue;
      await projectObjectVolume(volumeDir(this.dir, v.name), this.pod, v, sources, true);
      this.projected.set(v.name, version);
    }
  }

  remove(): Promise<void> {
    return removePodSandboxDir(this.dir);
  }
}

/**
 * Makes the pod's directory and volumes (again, after a restart: what exists is kept, so an
 * adopted pod keeps its emptyDirs) and its /etc/hosts and /etc/resolv.conf. The first volume
 * that cannot be set up is the answer, for a FailedMount event; the kubelet retries later.
 */
export async function preparePodSandbox(root: string, pod: Pod, features: HostFeatures, sources: VolumeSources, opts: SandboxOptions = {}): Promise<SandboxSetup> {
  const dir = podSandboxDir(root, pod);
  await fs.mkdir(dir, { recursive: true });
  const volumes = new Map<string, PreparedVolume>();
  for (const v of pod.spec?.volumes ?? []) {
    const r = await setUpVolume(dir, pod, v, sources);
    if (!r.ok) return { ok: false, volume: v.name, message: r.message };
    volumes.set(v.name, r.volume);
  }
  const { warnings, ...podFiles } = await writePodFiles(dir, pod, opts.podIP ?? pod.status?.podIP ?? '', opts.dns ?? (await hostOnlyDns()));
  return { ok: true, sandbox: new Sandbox(dir, pod, features, volumes, podFiles), dnsWarnings: warnings };
}
