/** A container's `Environment Variables from:` and `Environment:` sections (describeContainerEnvVars). */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import { goQuote } from '../../api/labels.ts';
import { arr, obj, quantity, str, strMap } from './fields.ts';
import { LEVEL_2, LEVEL_3, type PrefixWriter } from './prefix-writer.ts';

/** Resolves a `fieldRef` env var's value (pods only: templates print none). */
export type EnvResolver = ((e: Obj) => string) | undefined;

export function describeContainerEnvFrom(c: Obj, w: PrefixWriter): void {
  const envFrom = arr(c.envFrom);
  w.write(LEVEL_2, `Environment Variables from:${envFrom.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of envFrom) {
    let from = '';
    let name = '';
    let optional = false;
    if (e.configMapRef) {
      from = 'ConfigMap';
      name = str(obj(e.configMapRef).name);
      optional = obj(e.configMapRef).optional === true;
    } else if (e.secretRef) {
      from = 'Secret';
      name = str(obj(e.secretRef).name);
      optional = obj(e.secretRef).optional === true;
    }
    if (str(e.prefix).length === 0) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${str(e.prefix)}'\tOptional: ${optional}\n`);
  }
}

/** The `(v1:metadata.name)`-style env values kubectl resolves (fieldpath.ExtractFieldPathAsString: metadata only). */
export function envValueRetriever(pod: Obj): (e: Obj) => string {
  return (e: Obj) => {
    const fieldPath = str(obj(obj(e.valueFrom).fieldRef).fieldPath);
    const meta = obj(pod.metadata);
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
    if (m) return strMap(meta[m[1]!])[m[2]!] ?? '';
    switch (fieldPath) {
      case 'metadata.name':
        return str(meta.name);
      case 'metadata.namespace':
        return str(meta.namespace);
      case 'metadata.uid':
        return str(meta.uid);
      case 'metadata.labels':
      case 'metadata.annotations': {
        const map = strMap(meta[fieldPath.slice('metadata.'.length)]);
        return Object.keys(map)
          .sort(compareGoStrings)
          .map((k) => `${k}=${goQuote(map[k]!)}`)
          .join('\n');
      }
      default:
        return '';
    }
  };
}

/** resourcehelper.ExtractContainerResourceValue for `limits.cpu`-style references. */
function containerResourceValue(ref: Obj, c: Obj): string {
  const resource = str(ref.resource);
  const [kind, name] = resource.split('.') as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name) return '';
  const q = quantity(obj(obj(c.resources)[kind])[name]) ?? quantity('0')!;
  const divisor = quantity(ref.divisor ?? '') ?? quantity('1')!;
  if (divisor.isZero()) return '';
  if (name === 'cpu') {
    const m = q.milliValue();
    const d = divisor.milliValue();
    return String((m + d - 1n) / d);
  }
  const v = q.value();
  const d = divisor.value();
  return String((v + d - 1n) / d);
}

export function describeContainerEnvVars(c: Obj, resolver: EnvResolver, w: PrefixWriter): void {
  const env = arr(c.env);
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    if (!e.valueFrom) {
      str(e.value)
        .split('\n')
        .forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${str(e.name)}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    const from = obj(e.valueFrom);
    if (from.fieldRef) {
      const f = obj(from.fieldRef);
      w.write(LEVEL_3, `${str(e.name)}:\t${resolver ? resolver(e) : ''} (${str(f.apiVersion)}:${str(f.fieldPath)})\n`);
    } else if (from.resourceFieldRef) {
      const ref = obj(from.resourceFieldRef);
      let value = containerResourceValue(ref, c);
      const resource = str(ref.resource);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${str(e.name)}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const ref = obj(from.secretKeyRef);
      w.write(LEVEL_3, `${str(e.name)}:\t<set to the key '${str(ref.key)}' in secret '${str(ref.name)}'>\tOptional: ${ref.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const ref = obj(from.configMapKeyRef);
      w.write(LEVEL_3, `${str(e.name)}:\t<set to the key '${str(ref.key)}' of config map '${str(ref.name)}'>\tOptional: ${ref.optional === true}\n`);
    }
  }
}
