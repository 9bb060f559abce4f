/**
 * Readable field paths (for plans and kite's own validation messages), and the list merge-key
 * table the diff uses.
 *
 * A path is a list of segments: object keys (struct fields and map keys alike) and list items
 * named by their merge key. Formatted: `spec.template.spec.containers[api].resources.requests.cpu`,
 * `spec.ports[http]` (or `spec.ports[80]`), `metadata.labels[app.kubernetes.io/name]` (map keys
 * that are not plain identifiers go in brackets).
 *
 * The merge keys are those of the Kubernetes strategic-merge-patch / server-side-apply schema
 * (`patchMergeKey` / `listMapKeys` in k8s.io/api core/v1): a list with a merge key is compared
 * item by item, any other list atomically (whole).
 */

/** A list item, identified by its merge key. */
export interface ItemSegment {
  /** Identity used to match desired, last-applied and live items (`8080/TCP`, `api`). */
  readonly id: string;
  /** What the path shows between brackets (`api`, `http`, `80`). */
  readonly display: string;
}

export type PathSegment = string | ItemSegment;

export function isItem(seg: PathSegment): seg is ItemSegment {
  return typeof seg !== 'string';
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.spec.containers[api].image`; keys with dots, slashes and the like in brackets. */
export function formatPath(segs: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segs) {
    if (isItem(seg)) out += `[${seg.display}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${seg}]`;
  }
  return out;
}

/** Field names only, items as `[]`: `spec.template.spec.containers[].ports`. Used for table lookups. */
export function genericPath(segs: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segs) {
    if (isItem(seg)) out += '[]';
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** How a keyed list's items are identified and shown. */
export interface MergeKey {
  /** The merge-key field names, for documentation and errors. */
  readonly fields: readonly string[];
  /** The identity of an item, undefined when the item lacks its key (the list is then compared whole). */
  identity(item: Record<string, unknown>): string | undefined;
  /** How the item is named in a path. */
  display(item: Record<string, unknown>): string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

function byField(field: string): MergeKey {
  return { fields: [field], identity: (item) => str(item[field]), display: (item) => str(item[field]) ?? '?' };
}

/** Ports: identified by number and protocol (TCP when unset), shown by name when they have one. */
function byPort(field: 'containerPort' | 'port'): MergeKey {
  return {
    fields: [field, 'protocol'],
    identity: (item) => {
      // 0 is no port (the field is required): such an item has no key.
      const port = item[field] === 0 ? undefined : str(item[field]);
      return port === undefined ? undefined : `${port}/${str(item.protocol) ?? 'TCP'}`;
    },
    display: (item) => {
      const name = str(item.name);
      if (name) return name;
      const port = str(item[field]) ?? '?';
      const proto = str(item.protocol);
      return proto && proto !== 'TCP' ? `${port}/${proto}` : port;
    },
  };
}

const CONTAINERS = '(?:containers|initContainers|ephemeralContainers)';
/** A pod spec: a Pod's `spec`, or a template's `spec.template.spec`. */
const POD_SPEC = '^(?:spec|spec\\.template\\.spec)';

interface Rule {
  re: RegExp;
  kinds?: readonly string[];
  key: MergeKey;
}

/** Keyed lists; every other list is atomic (args, command, tolerations, matchExpressions, subsets, …). */
const MERGE_KEYS: readonly Rule[] = [
  { re: new RegExp(`${POD_SPEC}\\.${CONTAINERS}$`), key: byField('name') },
  { re: new RegExp(`${POD_SPEC}\\.${CONTAINERS}\\[\\]\\.ports$`), key: byPort('containerPort') },
  { re: new RegExp(`${POD_SPEC}\\.${CONTAINERS}\\[\\]\\.env$`), key: byField('name') },
  { re: new RegExp(`${POD_SPEC}\\.${CONTAINERS}\\[\\]\\.volumeMounts$`), key: byField('mountPath') },
  { re: new RegExp(`${POD_SPEC}\\.${CONTAINERS}\\[\\]\\.volumeDevices$`), key: byField('devicePath') },
  { re: new RegExp(`${POD_SPEC}\\.${CONTAINERS}\\[\\]\\.resizePolicy$`), key: byField('resourceName') },
  { re: new RegExp(`${POD_SPEC}\\.volumes$`), key: byField('name') },
  { re: new RegExp(`${POD_SPEC}\\.imagePullSecrets$`), key: byField('name') },
  { re: new RegExp(`${POD_SPEC}\\.hostAliases$`), key: byField('ip') },
  { re: new RegExp(`${POD_SPEC}\\.resourceClaims$`), key: byField('name') },
  { re: new RegExp(`${POD_SPEC}\\.schedulingGates$`), key: byField('name') },
  { re: /^spec\.ports$/, kinds: ['Service'], key: byPort('port') },
  { re: /^metadata\.ownerReferences$/, key: byField('uid') },
  { re: /^imagePullSecrets$/, kinds: ['ServiceAccount'], key: byField('name') },
];

/** Kinds whose `spec` is a pod spec or whose `spec.template.spec` is one. */
const POD_SPEC_KINDS: Readonly<Record<string, 'spec' | 'template'>> = {
  Pod: 'spec',
  ReplicaSet: 'template',
  ReplicationController: 'template',
  Deployment: 'template',
  DaemonSet: 'template',
  StatefulSet: 'template',
  Job: 'template',
  PodTemplate: 'template',
};

/** The merge key of the list at `segs` in an object of `kind`, or undefined for an atomic list. */
export function mergeKeyFor(kind: string, segs: readonly PathSegment[]): MergeKey | undefined {
  const g = genericPath(segs);
  // A plan asks for the same few paths of the same few kinds for every object: the rules are tried once per pair.
  const memoKey = `${kind}\0${g}`;
  const known = mergeKeyMemo.get(memoKey);
  if (known !== undefined) return known ?? undefined;
  const found = findMergeKey(kind, g);
  if (mergeKeyMemo.size >= MERGE_KEY_MEMO_MAX) mergeKeyMemo.clear();
  mergeKeyMemo.set(memoKey, found ?? null);
  return found;
}

/** Bounded: paths come from user objects (a CRD's arbitrary nesting), so the memo may not grow without end. */
const MERGE_KEY_MEMO_MAX = 4096;
const mergeKeyMemo = new Map<string, MergeKey | null>();

function findMergeKey(kind: string, g: string): MergeKey | undefined {
  const podSpec = POD_SPEC_KINDS[kind];
  for (const rule of MERGE_KEYS) {
    if (rule.kinds && !rule.kinds.includes(kind)) continue;
    if (!rule.re.test(g)) continue;
    if (rule.re.source.startsWith(POD_SPEC)) {
      // `spec.containers` only in a Pod, `spec.template.spec.containers` only in templated kinds.
      if (!podSpec) continue;
      const templated = g.startsWith('spec.template.spec.') || g === 'spec.template.spec';
      if ((podSpec === 'template') !== templated) continue;
    }
    return rule.key;
  }
  return undefined;
}

/** Maps whose values are quantities (matched against the map's own generic path). */
const QUANTITY_MAPS: readonly RegExp[] = [
  /(?:^|\.)resources\.(?:limits|requests)$/,
  /^spec\.overhead$/,
  /^spec\.hard$/, // ResourceQuota
  /^spec\.limits\[\]\.(?:max|min|default|defaultRequest|maxLimitRequestRatio)$/, // LimitRange
  /^spec\.capacity$/, // PersistentVolume
  /^status\.(?:capacity|allocatable)$/, // Node
];
/** Single quantity fields. */
const QUANTITY_FIELDS: readonly RegExp[] = [/(?:^|\.)emptyDir\.sizeLimit$/, /(?:^|\.)resourceFieldRef\.divisor$/];

/** True when the value at `segs` is a resource.Quantity (compared by value: `1000m` == `1`). */
export function isQuantityPath(segs: readonly PathSegment[]): boolean {
  const last = segs[segs.length - 1];
  if (last === undefined || isItem(last)) return false;
  const parent = genericPath(segs.slice(0, -1));
  if (QUANTITY_MAPS.some((re) => re.test(parent))) return true;
  const g = parent === '' ? last : `${parent}.${last}`;
  return QUANTITY_FIELDS.some((re) => re.test(g));
}

/**
 * A validation path with list indexes (`spec.template.spec.containers[0].image`, as the API
 * server words it) in the keyed form plans use (`spec.template.spec.containers[web].image`),
 * read from the object the path is in. An index stays where the list has no merge key, the item
 * lacks it, or two items would show the same key (a duplicate is better told by position).
 */
export function keyedPath(kind: string, obj: unknown, path: string): string {
  const tokens = path.match(/[^.[\]]+|\[\d+\]/g);
  if (!tokens || tokens.join('').length !== path.replace(/\./g, '').length) return path;
  const segs: PathSegment[] = [];
  let node: unknown = obj;
  let out = '';
  for (const [i, token] of tokens.entries()) {
    const index = /^\[(\d+)\]$/.exec(token);
    if (index) {
      const list = Array.isArray(node) ? (node as unknown[]) : undefined;
      const item = list?.[Number(index[1])];
      const key = list && isRecord(item) ? mergeKeyFor(kind, segs) : undefined;
      const display = key && isRecord(item) && key.identity(item) !== undefined ? key.display(item) : undefined;
      const unique = display !== undefined && list!.filter((x) => isRecord(x) && key!.identity(x) !== undefined && key!.display(x) === display).length === 1;
      if (!unique) return out + tokens.slice(i).map((t) => (t.startsWith('[') ? t : `.${t}`)).join('');
      segs.push({ id: key!.identity(item as Record<string, unknown>)!, display: display! });
      out += `[${display}]`;
      node = item;
    } else {
      segs.push(token);
      out += out === '' ? token : `.${token}`;
      node = isRecord(node) ? node[token] : undefined;
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
