/**
 * Sets up one pod volume on the host and says which host path stands for it. Local kinds are
 * made here — emptyDir (a directory of the pod, tmpfs for `medium: Memory` where the host lets
 * us mount), hostPath (with the hostpath plugin's `type` checks), configMap and secret
 * (projected files, see ./atomic-writer.ts); anything else must be mapped to a local directory
 * by the image catalog's `volumes:`.
 *
 * Messages are the volume plugins' own (k/k pkg/volume/hostpath/host_path.go checkType,
 * pkg/volume/configmap/configmap.go and pkg/volume/secret/secret.go MakePayload); the backend
 * prefixes them as the kubelet does (`MountVolume.SetUp failed for volume "<v>" : `).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Pod, Secret } from '../../../../lib/api/model.ts';
import type { HostPathVolumeSource, KeyToPath, Volume } from '../../../../lib/api/kinds/volume.ts';
import { parseQuantity } from '../../../../lib/api/quantity.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import { mountPoints, mountTool } from './mounts.ts';
import type { VolumeSources } from './sandbox.ts';

/** core/v1 defaults for ConfigMap and Secret volumes' defaultMode (0644). */
const DEFAULT_FILE_MODE = 0o644;

export type VolumeKind = 'emptyDir' | 'hostPath' | 'configMap' | 'secret' | 'mapped';

export interface PreparedVolume {
  name: string;
  kind: VolumeKind;
  /** The host path standing for the volume (a directory, or a file for some hostPaths). */
  hostPath: string;
  /** What could not be honoured, for the pod's events (`sizeLimit not enforced ...`). */
  note?: string;
}

export type VolumeSetup = { ok: true; volume: PreparedVolume } | { ok: false; message: string };

const fail = (message: string): VolumeSetup => ({ ok: false, message });

async function emptyDir(dir: string, v: Volume): Promise<VolumeSetup> {
  await fs.mkdir(dir, { recursive: true, mode: 0o777 });
  const sizeLimit = v.emptyDir?.sizeLimit;
  const prepared: PreparedVolume = { name: v.name, kind: 'emptyDir', hostPath: dir };
  if (v.emptyDir?.medium !== 'Memory') {
    if (sizeLimit !== undefined) prepared.note = `sizeLimit ${sizeLimit} of emptyDir "${v.name}" is not enforced (only tmpfs-backed emptyDirs are bounded)`;
    return { ok: true, volume: prepared };
  }
  // A pod dir adopted after a restart still has its tmpfs.
  if ((await mountPoints()).includes(dir)) return { ok: true, volume: prepared };
  const error = process.platform === 'linux' ? await mountTmpfs(dir, sizeLimit) : 'not Linux';
  if (error === undefined) return { ok: true, volume: prepared };
  return { ok: true, volume: { ...prepared, note: `emptyDir "${v.name}" with medium Memory is a plain directory: tmpfs cannot be mounted here (${error})` } };
}

/** undefined on success, else the error. */
function mountTmpfs(dir: string, sizeLimit: string | undefined): Promise<string | undefined> {
  const size = sizeLimit !== undefined ? `,size=${parseQuantity(sizeLimit).value()}` : '';
  return mountTool('mount', ['-t', 'tmpfs', '-o', `mode=0777${size}`, 'tmpfs', dir]);
}

/** The type checks of the hostpath plugin, with its wording. */
async function hostPath(v: Volume & { hostPath: HostPathVolumeSource }): Promise<VolumeSetup> {
  const path = v.hostPath.path;
  const type = v.hostPath.type ?? '';
  const st = await fs.stat(path).catch(() => undefined);
  const ok = (): VolumeSetup => ({ ok: true, volume: { name: v.name, kind: 'hostPath', hostPath: path } });
  const checkFailed = (what: string) => fail(`hostPath type check failed: ${path} is not ${what}`);
  switch (type) {
    case '':
      // No check, but the runtime must mount something: containerd's WithMounts creates a
      // missing source as a directory (0755), so an unset type behaves as DirectoryOrCreate.
      if (!st) await fs.mkdir(path, { recursive: true, mode: 0o755 });
      return ok();
    case 'DirectoryOrCreate':
      if (!st) {
        await fs.mkdir(path, { recursive: true, mode: 0o755 });
        return ok();
      }
      return st.isDirectory() ? ok() : checkFailed('a directory');
    case 'Directory':
      return st?.isDirectory() ? ok() : checkFailed('a directory');
    case 'FileOrCreate':
      if (!st) {
        // Upstream creates the file only: a missing parent directory is an error.
        const created = await fs.writeFile(path, '', { mode: 0o644, flag: 'a' }).then(
          () => undefined,
          (e: Error) => e.message,
        );
        return created === undefined ? ok() : fail(`hostPath type check failed: ${path}: ${created}`);
      }
      return st.isFile() ? ok() : checkFailed('a file');
    case 'File':
      return st?.isFile() ? ok() : checkFailed('a file');
    case 'Socket':
      return st?.isSocket() ? ok() : checkFailed('a socket file');
    case 'CharDevice':
      return st?.isCharacterDevice() ? ok() : checkFailed('a character device');
    case 'BlockDevice':
      return st?.isBlockDevice() ? ok() : checkFailed('a block device');
  }
}

interface ObjectFiles {
  /** `configmap` / `secret`, as the plugins name their objects in messages. */
  kind: 'configmap' | 'secret';
  name: string;
  files: Map<string, Buffer> | undefined;
  /** The volume source's projection settings (ConfigMapVolumeSource / SecretVolumeSource share them). */
  spec: { items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
}

function configMapFiles(cm: ConfigMap | undefined): Map<string, Buffer> | undefined {
  if (!cm) return undefined;
  const files = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) files.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) files.set(k, Buffer.from(v, 'base64'));
  return files;
}

function secretFiles(s: Secret | undefined): Map<string, Buffer> | undefined {
  if (!s) return undefined;
  const files = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(s.data ?? {})) files.set(k, Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries(s.stringData ?? {})) files.set(k, Buffer.from(v, 'utf8'));
  return files;
}

/** MakePayload: every key, or the listed items (a missing key fails unless optional). */
function makePayload(o: ObjectFiles): { ok: true; payload: Payload } | { ok: false; message: string } {
  const payload: Payload = new Map();
  const files = o.files ?? new Map<string, Buffer>();
  const { items, optional } = o.spec;
  const mode = o.spec.defaultMode ?? DEFAULT_FILE_MODE;
  if (!items || items.length === 0) {
    for (const [k, data] of files) payload.set(k, { data, mode });
    return { ok: true, payload };
  }
  for (const item of items) {
    const data = files.get(item.key);
    if (!data) {
      if (optional) continue;
      const message = o.kind === 'configmap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`;
      return { ok: false, message };
    }
    payload.set(item.path, { data, mode: item.mode ?? mode });
  }
  return { ok: true, payload };
}

function objectFiles(pod: Pod, v: Volume, sources: VolumeSources): ObjectFiles | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  if (v.configMap) {
    const name = v.configMap.name ?? '';
    return { kind: 'configmap', name, files: configMapFiles(sources.configMap(ns, name)), spec: v.configMap };
  }
  if (v.secret) {
    const name = v.secret.secretName ?? '';
    return { kind: 'secret', name, files: secretFiles(sources.secret(ns, name)), spec: v.secret };
  }
  return undefined;
}

/**
 * Writes a configMap or secret volume's files (again, after a change). A missing object fails
 * unless optional; on a refresh the kubelet keeps the last files, so `keepOnMissing` does.
 */
export async function projectObjectVolume(dir: string, pod: Pod, v: Volume, sources: VolumeSources, keepOnMissing = false): Promise<VolumeSetup> {
  const o = objectFiles(pod, v, sources)!;
  const kind: VolumeKind = v.configMap ? 'configMap' : 'secret';
  const prepared: VolumeSetup = { ok: true, volume: { name: v.name, kind, hostPath: dir } };
  if (!o.files) {
    if (keepOnMissing) return prepared;
    if (!o.spec.optional) return fail(`${o.kind} "${o.name}" not found`);
  }
  const made = makePayload(o);
  if (!made.ok) return made;
  await writeAtomically(dir, made.payload);
  return prepared;
}

/** The VolumeSource field a volume uses (`nfs`, `persistentVolumeClaim`, ...). */
export function volumeSourceKind(v: Volume): string {
  return Object.keys(v).find((k) => k !== 'name' && (v as Record<string, unknown>)[k] !== undefined) ?? 'unknown';
}

/** Where a volume the pod owns (emptyDir, configMap, secret) lives in the pod's directory. */
export function volumeDir(podDir: string, name: string): string {
  return join(podDir, 'volumes', name);
}

export async function setUpVolume(podDir: string, pod: Pod, v: Volume, sources: VolumeSources): Promise<VolumeSetup> {
  const dir = volumeDir(podDir, v.name);
  if (v.emptyDir) return emptyDir(dir, v);
  if (v.hostPath) return hostPath(v as Volume & { hostPath: HostPathVolumeSource });
  if (v.configMap || v.secret) return projectObjectVolume(dir, pod, v, sources);
  const mapped = sources.mappedDirectory(v);
  if (mapped === undefined) {
    return fail(`mount failed: ${volumeSourceKind(v)} volumes are not available on this machine; map it in kite.images.yaml under volumes:`);
  }
  await fs.mkdir(mapped, { recursive: true });
  return { ok: true, volume: { name: v.name, kind: 'mapped', hostPath: mapped } };
}
