/** Pods, volume sources and host features for the sandbox tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Container, Pod, PodSpec, Secret } from '../../../../../lib/api/model.ts';
import type { Volume } from '../../../../../lib/api/kinds/volume.ts';
import type { HostFeatures } from '../../../../../runtime/kubelet/backends/process/host-features.ts';
import type { VolumeSources } from '../../../../../runtime/kubelet/backends/process/sandbox.ts';

let serial = 0;

export function testPod(spec: Partial<PodSpec> & { containers?: Container[] }, name = `sandboxed-${++serial}`): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `0000-${process.pid}-${serial}-${Date.now()}` },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
  };
}

/** Sources backed by plain maps the test edits (`default/<name>` keys). */
export class MapSources implements VolumeSources {
  readonly configMaps = new Map<string, ConfigMap>();
  readonly secrets = new Map<string, Secret>();
  readonly mapped = new Map<string, string>();
  /** Each put is a new resourceVersion, as a write through the API server is. */
  private version = 0;
  configMap(ns: string, name: string) {
    return this.configMaps.get(`${ns}/${name}`);
  }
  secret(ns: string, name: string) {
    return this.secrets.get(`${ns}/${name}`);
  }
  mappedDirectory(v: Volume) {
    return this.mapped.get(v.name);
  }
  putConfigMap(name: string, data: Record<string, string>, binaryData?: Record<string, string>): void {
    this.configMaps.set(`default/${name}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: String(++this.version) }, data, ...(binaryData ? { binaryData } : {}) });
  }
  putSecret(name: string, data: Record<string, string>): void {
    this.secrets.set(`default/${name}`, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', resourceVersion: String(++this.version) }, data });
  }
}

export const NO_FEATURES: HostFeatures = { mountNamespace: 'none', cgroups: 'none', loopbackRange: true, report: [] };

/** A scratch directory removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `kite-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
