/**
 * ConfigMap v1 and ValidateConfigMap (pkg/apis/core/validation): keys of `data` and
 * `binaryData` are config-map keys, unique across both, `binaryData` values are base64, and
 * the whole is at most 1 MiB. Update rules (immutable) are in ../update/config.ts.
 */
import { z } from 'zod';
import { base64DecodedLength, base64Error } from '../base64.ts';
import { isConfigMapKey } from '../names.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { asObj, asStrMap, invalid, invalidEach, keyPath, tooLong, zBool, zStringMap, type Obj, type Out } from './fields.ts';

/** core.MaxSecretSize, also the limit of a ConfigMap's data (etcd's request size). */
export const MAX_CONFIG_SIZE = 1024 * 1024;

export const ConfigMapSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: ObjectMetaSchema,
  immutable: zBool.optional(),
  data: zStringMap.optional(),
  binaryData: zStringMap.optional(),
});

export type ConfigMap = z.output<typeof ConfigMapSchema>;
export type ConfigMapInput = z.input<typeof ConfigMapSchema>;

/** Keys must be config-map keys (`data[key]: Invalid value: "key": ...`), as for Secrets. */
export function validateDataKeys(out: Out, path: string, data: Record<string, string> | undefined): void {
  for (const key of Object.keys(data ?? {})) invalidEach(out, keyPath(path, key), key, isConfigMapKey(key));
}

/** A []byte field's values decode as base64 (encoding/json's error, the secret value not echoed). */
export function validateBase64Values(out: Out, path: string, data: Record<string, string> | undefined): number {
  let size = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    const err = base64Error(value);
    if (err) invalid(out, keyPath(path, key), '<value redacted>', err);
    else size += base64DecodedLength(value);
  }
  return size;
}

/** ValidateConfigMap */
export function validateConfigMap(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const data = asStrMap(raw.data);
  const binary = asStrMap(raw.binaryData);
  validateDataKeys(out, 'data', data);
  validateDataKeys(out, 'binaryData', binary);
  for (const key of Object.keys(binary ?? {})) {
    if (asObj(raw.data)?.[key] !== undefined) invalid(out, keyPath('binaryData', key), key, 'duplicate of key present in data');
  }
  let size = 0;
  for (const v of Object.values(data ?? {})) size += Buffer.byteLength(v, 'utf8');
  size += validateBase64Values(out, 'binaryData', binary);
  if (size > MAX_CONFIG_SIZE) tooLong(out, '', MAX_CONFIG_SIZE);
}
