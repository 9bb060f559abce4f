/**
 * Reads `kite.images.yaml`, the image catalog. Its schema:
 *
 * ```yaml
 * images:                                  # image reference or glob -> the program it runs
 *   jonbaier/node-express-info:            # any tag or digest of docker.io/jonbaier/node-express-info
 *     command: [node, ./examples/apps/node-express-info.mjs]   # the image's ENTRYPOINT
 *     args: []                             # the image's CMD (default arguments)
 *     workingDir: ./examples/apps          # the image's WORKDIR
 *     env: { GREETING: hello }             # the image's ENV (lowest precedence)
 *     executables:                         # absolute paths inside the image -> host programs
 *       /usr/local/bin/apachectl: [node, ./examples/apps/apachectl.mjs]
 *   "kuard-amd64:blue": {...}              # this tag only (wins over the repository's entry)
 *   "registry.example.com/team/*": {...}   # a glob: * within a path component, ** across, ? one character
 *   my/toolbox: {}                         # no program: runs the container's own command on the host
 * volumes:                                 # local directories for volumes the host cannot provide
 *   nfs: { "my.nfs.server.local:/exports": ./data/exports }   # by server:path
 *   persistentVolumeClaim: { my-claim: ./data/claim }         # by claimName
 *   # also awsElasticBlockStore (volumeID), gcePersistentDisk (pdName), azureDisk (diskName),
 *   # azureFile (shareName), cinder (volumeID)
 * ```
 *
 * Relative paths — `workingDir`, volume directories, and `command`/`args`/`executables`
 * elements that start with `./` or `../` — are relative to the catalog file's directory.
 * Every problem is reported as `file:line:col: <where>: <what>`.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { MAPPABLE_VOLUME_SOURCES, normalVolumeKey } from './catalog-volumes.ts';
import { parseImageKey, type ImageKey } from './image-match.ts';
import type { ImageProgram } from './images.ts';

export interface CatalogEntry {
  /** The key as written in the file. */
  written: string;
  key: ImageKey;
  program: ImageProgram;
}

export interface CatalogData {
  entries: CatalogEntry[];
  /** `source` → volume key → absolute directory. */
  volumes: Map<string, Map<string, string>>;
}

export type CatalogRead = { ok: true; data: CatalogData } | { ok: false; errors: string[] };

const PROGRAM_FIELDS = ['command', 'args', 'workingDir', 'env', 'executables'];

export function parseImageCatalog(text: string, file: string): CatalogRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const errors: string[] = [];
  const at = (node: Node | Pair | null | undefined, where: string, what: string) => {
    const offset = node && 'range' in node && node.range ? node.range[0] : node && 'key' in node && isScalar(node.key) ? node.key.range![0] : 0;
    const pos = lineCounter.linePos(offset);
    errors.push(`${file}:${pos.line}:${pos.col}: ${where ? `${where}: ` : ''}${what}`);
  };
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    errors.push(`${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const dir = dirname(resolve(file));
  const data: CatalogData = { entries: [], volumes: new Map() };
  const root = doc.contents;
  if (root !== null && !isMap(root)) {
    at(root, '', 'expected a mapping with `images:` and `volumes:`');
    return { ok: false, errors };
  }
  for (const pair of root?.items ?? []) {
    const section = keyText(pair);
    if (section === 'images') readImages(pair.value as Node | null, dir, data, at);
    else if (section === 'volumes') readVolumes(pair.value as Node | null, dir, data, at);
    else at(pair.key as Node, '', `unknown section "${section}" (expected images, volumes)`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, data };
}

type Report = (node: Node | Pair | null | undefined, where: string, what: string) => void;

function readImages(node: Node | null, dir: string, data: CatalogData, at: Report): void {
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) return at(node, 'images', 'expected a mapping of image reference to program');
  for (const pair of node.items) {
    const written = keyText(pair);
    const where = `images["${written}"]`;
    const key = parseImageKey(written);
    if ('error' in key) {
      at(pair.key as Node, where, key.error);
      continue;
    }
    const program = readProgram(pair.value as Node | null, dir, where, at);
    if (program) data.entries.push({ written, key, program });
  }
}

function readProgram(node: Node | null, dir: string, where: string, at: Report): ImageProgram | undefined {
  const program: ImageProgram = { command: [], args: [], env: {} };
  if (node === null || (isScalar(node) && node.value === null)) return program;
  if (!isMap(node)) return void at(node, where, `expected a mapping with ${PROGRAM_FIELDS.join(', ')}`);
  let ok = true;
  const fail: Report = (n, w, m) => {
    ok = false;
    at(n, w, m);
  };
  for (const pair of node.items) {
    const field = keyText(pair);
    const value = pair.value as Node | null;
    const path = `${where}.${field}`;
    switch (field) {
      case 'command':
      case 'args': {
        const list = stringList(value, path, fail);
        if (list) program[field] = list.map((s) => hostPath(dir, s));
        break;
      }
      case 'workingDir': {
        const s = scalarText(value);
        if (s === undefined || s === '') fail(value ?? pair, path, 'expected a directory');
        else program.workingDir = resolve(dir, s);
        break;
      }
      case 'env':
        for (const [k, v, n] of stringMap(value, path, fail)) program.env[k] = v ?? (fail(n, `${path}.${k}`, 'expected a string value'), '');
        break;
      case 'executables': {
        const executables: Record<string, string[]> = {};
        for (const [k, , n] of stringMap(value, path, fail, true)) {
          if (!isAbsolute(k)) fail(n, path, `"${k}" is not an absolute path inside the image`);
          const argv = isSeq(n) ? stringList(n, `${path}["${k}"]`, fail) : [scalarText(n) ?? ''];
          if (argv && argv[0]) executables[k] = argv.map((s) => hostPath(dir, s));
          else if (argv) fail(n, `${path}["${k}"]`, 'expected a program (a path or an argv list)');
        }
        program.executables = executables;
        break;
      }
      default:
        fail(pair.key as Node, path, `unknown field (expected ${PROGRAM_FIELDS.join(', ')})`);
    }
  }
  return ok ? program : undefined;
}

function readVolumes(node: Node | null, dir: string, data: CatalogData, at: Report): void {
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) return at(node, 'volumes', `expected a mapping of volume source (${MAPPABLE_VOLUME_SOURCES.join(', ')}) to directories`);
  for (const pair of node.items) {
    const source = keyText(pair);
    if (!MAPPABLE_VOLUME_SOURCES.includes(source)) {
      at(pair.key as Node, `volumes.${source}`, `unknown volume source (expected ${MAPPABLE_VOLUME_SOURCES.join(', ')})`);
      continue;
    }
    const map = new Map<string, string>();
    for (const [k, v, n] of stringMap(pair.value as Node | null, `volumes.${source}`, at)) {
      if (v) map.set(normalVolumeKey(source, k), resolve(dir, v));
      else at(n, `volumes.${source}["${k}"]`, 'expected a directory');
    }
    data.volumes.set(source, map);
  }
}

/** `./x` and `../x` name files next to the catalog; anything else (`node`, `/bin/sh`, `-v`) is kept. */
function hostPath(dir: string, s: string): string {
  return s.startsWith('./') || s.startsWith('../') ? resolve(dir, s) : s;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function scalarText(node: Node | null): string | undefined {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') return undefined;
  return String(node.value);
}

function stringList(node: Node | null, where: string, at: Report): string[] | undefined {
  if (!isSeq(node)) return void at(node, where, 'expected a list of strings');
  const out: string[] = [];
  for (const item of node.items as (Node | null)[]) {
    const s = scalarText(item);
    if (s === undefined) return void at(item ?? node, where, 'expected a list of strings');
    out.push(s);
  }
  return out;
}

/** A mapping's entries as [key, scalar value or undefined, value node]. */
function stringMap(node: Node | null, where: string, at: Report, anyValue = false): [string, string | undefined, Node][] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) return void at(node, where, anyValue ? 'expected a mapping' : 'expected a mapping of strings'), [];
  return node.items.map((pair) => [keyText(pair), scalarText(pair.value as Node | null), (pair.value ?? pair.key) as Node]);
}
