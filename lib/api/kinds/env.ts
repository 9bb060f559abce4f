/**
 * Container environment (core/v1 EnvVar, EnvVarSource, EnvFromSource) and ValidateEnv /
 * validateEnvVarValueFrom / ValidateEnvFrom from pkg/apis/core/validation.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName } from '../labels.ts';
import { isConfigMapKey } from '../names.ts';
import { parseQuantity, type Quantity } from '../quantity.ts';
import { asArr, asObj, asStr, invalid, invalidEach, isSet, notSupported, required, zBool, zQuantity, zStr, type Obj, type Out } from './fields.ts';
import { isEnvVarName, validateName } from './formats.ts';

export const ObjectFieldSelectorSchema = z.strictObject({
  apiVersion: zStr.optional(),
  fieldPath: zStr,
});

export const ResourceFieldSelectorSchema = z.strictObject({
  containerName: zStr.optional(),
  resource: zStr,
  divisor: zQuantity.optional(),
});

export const ConfigMapKeySelectorSchema = z.strictObject({
  name: zStr.optional(),
  key: zStr,
  optional: zBool.optional(),
});

export const SecretKeySelectorSchema = z.strictObject({
  name: zStr.optional(),
  key: zStr,
  optional: zBool.optional(),
});

export const EnvVarSourceSchema = z.strictObject({
  fieldRef: ObjectFieldSelectorSchema.optional(),
  resourceFieldRef: ResourceFieldSelectorSchema.optional(),
  configMapKeyRef: ConfigMapKeySelectorSchema.optional(),
  secretKeyRef: SecretKeySelectorSchema.optional(),
});

export const EnvVarSchema = z.strictObject({
  name: zStr,
  value: zStr.optional(),
  valueFrom: EnvVarSourceSchema.optional(),
});

const EnvSourceRefSchema = z.strictObject({
  name: zStr.optional(),
  optional: zBool.optional(),
});

export const EnvFromSourceSchema = z.strictObject({
  prefix: zStr.optional(),
  configMapRef: EnvSourceRefSchema.optional(),
  secretRef: EnvSourceRefSchema.optional(),
});

export type ObjectFieldSelector = z.output<typeof ObjectFieldSelectorSchema>;
export type ResourceFieldSelector = z.output<typeof ResourceFieldSelectorSchema>;
export type ConfigMapKeySelector = z.output<typeof ConfigMapKeySelectorSchema>;
export type SecretKeySelector = z.output<typeof SecretKeySelectorSchema>;
export type EnvVarSource = z.output<typeof EnvVarSourceSchema>;
export type EnvVar = z.output<typeof EnvVarSchema>;
export type EnvVarInput = z.input<typeof EnvVarSchema>;
export type EnvFromSource = z.output<typeof EnvFromSourceSchema>;

const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
].sort();
/** Field labels ConvertDownwardAPIFieldLabel understands for v1 pods. */
const CONVERTIBLE_FIELD_PATHS = new Set([
  ...ENV_FIELD_PATHS,
  'metadata.annotations',
  'metadata.labels',
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

function validateFieldRef(out: Out, path: string, ref: Obj): void {
  const fieldPath = asStr(ref.fieldPath);
  if (fieldPath === undefined) return;
  const fp = joinPath(path, 'fieldPath');
  if (fieldPath === '') return required(out, fp);
  const apiVersion = asStr(ref.apiVersion);
  if (apiVersion && apiVersion !== 'v1') {
    return invalid(out, fp, fieldPath, `error converting fieldPath: unsupported pod version: ${apiVersion}`);
  }
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    const key = sub[1] === 'metadata.annotations' ? sub[2]!.toLowerCase() : sub[2]!;
    invalidEach(out, path, key, isQualifiedName(key));
  } else if (!CONVERTIBLE_FIELD_PATHS.has(fieldPath)) {
    invalid(out, fp, fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`);
  } else if (!ENV_FIELD_PATHS.includes(fieldPath)) {
    notSupported(out, fp, fieldPath, ENV_FIELD_PATHS);
  }
}

function validateResourceFieldRef(out: Out, path: string, ref: Obj): void {
  const resource = asStr(ref.resource);
  if (resource === undefined) return;
  if (resource === '') return required(out, joinPath(path, 'resource'));
  const hugepages = resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
  if (!RESOURCE_FIELD_PATHS.includes(resource) && !hugepages) notSupported(out, joinPath(path, 'resource'), resource, RESOURCE_FIELD_PATHS);
  const divisor = ref.divisor;
  if (typeof divisor !== 'string' && typeof divisor !== 'number') return;
  let q: Quantity;
  try {
    q = parseQuantity(divisor);
  } catch (e) {
    return invalid(out, joinPath(path, 'divisor'), String(divisor), (e as Error).message);
  }
  if (q.isZero()) return;
  const d = q.toString();
  if (resource.endsWith('.cpu') && d !== '1m' && d !== '1') {
    invalid(out, joinPath(path, 'divisor'), resource, "only divisor's values 1m and 1 are supported with the cpu resource");
  } else if ((resource.endsWith('.memory') || resource.endsWith('.ephemeral-storage') || hugepages) && !BYTE_DIVISORS.includes(d)) {
    const what = resource.endsWith('.memory') ? 'memory' : hugepages ? 'hugepages' : 'local ephemeral storage';
    invalid(out, joinPath(path, 'divisor'), resource, `only divisor's values ${BYTE_DIVISORS.join(', ')} are supported with the ${what} resource`);
  }
}

function validateKeySelector(out: Out, path: string, sel: Obj): void {
  const name = asStr(sel.name) ?? '';
  invalidEach(out, joinPath(path, 'name'), name, validateName('dns-subdomain', name, false));
  const key = asStr(sel.key);
  if (key === '') required(out, joinPath(path, 'key'));
  else if (key !== undefined) invalidEach(out, joinPath(path, 'key'), key, isConfigMapKey(key));
}

/** ValidateEnv (with validateEnvVarValueFrom). */
export function validateEnv(out: Out, path: string, raw: unknown): void {
  asArr(raw).forEach((item, i) => {
    const ev = asObj(item);
    if (!ev) return;
    const p = joinPath(path, i);
    const name = asStr(ev.name);
    if (name === '') required(out, joinPath(p, 'name'));
    else if (name !== undefined) invalidEach(out, joinPath(p, 'name'), name, isEnvVarName(name));
    const from = asObj(ev.valueFrom);
    if (!from) return;
    const fp = joinPath(p, 'valueFrom');
    let n = 0;
    const fieldRef = asObj(from.fieldRef);
    if (isSet(from.fieldRef)) n++;
    if (fieldRef) validateFieldRef(out, joinPath(fp, 'fieldRef'), fieldRef);
    const resRef = asObj(from.resourceFieldRef);
    if (isSet(from.resourceFieldRef)) n++;
    if (resRef) validateResourceFieldRef(out, joinPath(fp, 'resourceFieldRef'), resRef);
    for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
      if (isSet(from[k])) n++;
      const sel = asObj(from[k]);
      if (sel) validateKeySelector(out, joinPath(fp, k), sel);
    }
    if (n === 0) invalid(out, fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
    else if (asStr(ev.value)) invalid(out, fp, '', 'may not be specified when `value` is not empty');
    else if (n > 1) invalid(out, fp, '', 'may not have more than one field specified at a time');
  });
}

/** ValidateEnvFrom */
export function validateEnvFrom(out: Out, path: string, raw: unknown): void {
  asArr(raw).forEach((item, i) => {
    const ev = asObj(item);
    if (!ev) return;
    const p = joinPath(path, i);
    const prefix = asStr(ev.prefix);
    if (prefix) invalidEach(out, joinPath(p, 'prefix'), prefix, isEnvVarName(prefix));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef'] as const) {
      if (!isSet(ev[k])) continue;
      n++;
      const ref = asObj(ev[k]);
      if (!ref) continue;
      const name = asStr(ref.name);
      const np = joinPath(joinPath(p, k), 'name');
      if (ref.name === undefined || name === '') required(out, np);
      else if (name !== undefined) invalidEach(out, np, name, validateName('dns-subdomain', name, true));
    }
    if (n === 0) invalid(out, p, '', 'must specify one of: `configMapRef` or `secretRef`');
    else if (n > 1) invalid(out, p, '', 'may not have more than one field specified at a time');
  });
}
