/**
 * Secret v1: the schema, SetDefaults_Secret (type Opaque), the v1 -> internal conversion that
 * folds `stringData` into base64 `data` (stringData wins on a clash) and drops it, and
 * ValidateSecret (pkg/apis/core/validation): config-map keys, at most 1 MiB, and the keys each
 * well-known type requires. `data` values that are not base64 are refused with Go's decode
 * error; secret material is never echoed in a message.
 */
import { z } from 'zod';
import { base64DecodedLength, base64Error } from '../base64.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { MAX_CONFIG_SIZE, validateBase64Values, validateDataKeys } from './configmap.ts';
import { asObj, asStr, asStrMap, invalid, keyPath, required, tooLong, zBool, zStr, zStringMap, type Obj, type Out } from './fields.ts';

export const SecretSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: ObjectMetaSchema,
  immutable: zBool.optional(),
  data: zStringMap.optional(),
  stringData: zStringMap.optional(),
  type: zStr.optional(),
});

export type Secret = z.output<typeof SecretSchema>;
export type SecretInput = z.input<typeof SecretSchema>;

const REDACTED = '<secret contents redacted>';

/** The v1 -> internal conversion: stringData merged into data (base64), stringData dropped. */
export function mergeStringData(o: Obj): Obj {
  const stringData = asObj(o.stringData);
  if (!stringData) return o;
  const data: Obj = { ...(asObj(o.data) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  const { stringData: _dropped, ...rest } = o;
  const sorted: Obj = {};
  for (const k of Object.keys(data).sort()) sorted[k] = data[k];
  return { ...rest, data: sorted };
}

/** SetDefaults_Secret plus the conversion: what the API server stores. */
export function defaultSecret(o: Obj): Obj {
  const merged = mergeStringData(o);
  return merged.type === undefined || merged.type === '' ? { ...merged, type: 'Opaque' } : merged;
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** The keys a well-known Secret type requires in data (ValidateSecret's switch on type). */
function validateTypedKeys(out: Out, type: string, data: Record<string, string>, annotations: Obj | undefined, decoded: (k: string) => string): void {
  const has = (k: string) => data[k] !== undefined;
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!asStr(annotations?.['kubernetes.io/service-account.name'])) required(out, keyPath('metadata.annotations', 'kubernetes.io/service-account.name'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        required(out, keyPath('data', key));
        break;
      }
      // Upstream reports json.Unmarshal's error; JSON.parse's would quote the secret, so a fixed text.
      if (!isJsonObject(decoded(key))) invalid(out, keyPath('data', key), REDACTED, 'must be a JSON object');
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        required(out, keyPath('data', 'username'));
        required(out, keyPath('data', 'password'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) required(out, keyPath('data', 'ssh-privatekey'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) required(out, keyPath('data', 'tls.crt'));
      if (!has('tls.key')) required(out, keyPath('data', 'tls.key'));
      break;
  }
}

/** ValidateSecret, on the object as converted (stringData folded into data). */
export function validateSecret(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  // Decoding `data` comes first: a value that is not base64 never reaches the merge.
  const size = validateBase64Values(out, 'data', asStrMap(raw.data));
  const stringData = asStrMap(raw.stringData) ?? {};
  const merged = asStrMap(mergeStringData(raw).data) ?? {};
  validateDataKeys(out, 'data', merged);
  let total = size;
  for (const v of Object.values(stringData)) total += Buffer.byteLength(v, 'utf8');
  // A key in both counts once, with stringData's value.
  for (const k of Object.keys(stringData)) {
    const d = asStrMap(raw.data)?.[k];
    if (d !== undefined && !base64Error(d)) total -= base64DecodedLength(d);
  }
  if (total > MAX_CONFIG_SIZE) tooLong(out, 'data', MAX_CONFIG_SIZE);
  const decoded = (k: string) => Buffer.from(merged[k] ?? '', 'base64').toString('utf8');
  validateTypedKeys(out, asStr(raw.type) || 'Opaque', merged, asObj(asObj(raw.metadata)?.annotations), decoded);
}
