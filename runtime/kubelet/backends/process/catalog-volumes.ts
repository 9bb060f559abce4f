/**
 * How the catalog's `volumes:` section names a volume the host cannot provide: by its source
 * kind, then a key identifying the storage itself (never the pod's own name for the volume, so
 * one mapping serves every pod that mounts the same export or disk).
 */
import type { Volume } from '../../../../lib/api/kinds/volume.ts';

type Fields = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : String(v));

/** Source kind → its identifying key. */
const VOLUME_KEYS: Record<string, (source: Fields) => string> = {
  // `server:path`, as `mount -t nfs` names an export; a trailing slash is not significant.
  nfs: (s) => `${str(s.server)}:${trimSlash(str(s.path))}`,
  persistentVolumeClaim: (s) => str(s.claimName),
  awsElasticBlockStore: (s) => str(s.volumeID),
  gcePersistentDisk: (s) => str(s.pdName),
  azureDisk: (s) => str(s.diskName),
  azureFile: (s) => str(s.shareName),
  cinder: (s) => str(s.volumeID),
};

export const MAPPABLE_VOLUME_SOURCES = Object.keys(VOLUME_KEYS);

/** `{ source, key }` of a volume the catalog could map, or undefined. */
export function volumeKey(volume: Volume): { source: string; key: string } | undefined {
  for (const [source, keyOf] of Object.entries(VOLUME_KEYS)) {
    const body = (volume as Record<string, unknown>)[source];
    if (body && typeof body === 'object') return { source, key: keyOf(body as Fields) };
  }
  return undefined;
}

/** A catalog key in the form `volumeKey` produces (`server:/exports/` → `server:/exports`). */
export function normalVolumeKey(source: string, key: string): string {
  if (source !== 'nfs') return key;
  const colon = key.indexOf(':');
  return colon === -1 ? key : `${key.slice(0, colon)}:${trimSlash(key.slice(colon + 1))}`;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
