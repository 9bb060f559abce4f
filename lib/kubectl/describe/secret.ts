/** `describe secret`: values as sizes only (a service account token in full, as kubectl). */
import { compareGoStrings } from '../../api/label-format.ts';
import type { Describer } from './describer.ts';
import { obj, str, strMap } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, PrefixWriter } from './prefix-writer.ts';

/** Secrets have no related lookups (kubectl prints no events for them). */
export const secretDescriber: Describer<Record<string, never>> = {
  kind: 'Secret',
  groups: [''],
  async related() {
    return {};
  },
  render(secret) {
    const meta = obj(secret.metadata);
    const w = new PrefixWriter();
    printObjectHeader(w, meta);
    w.write(LEVEL_0, `\nType:\t${str(secret.type)}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    const data = strMap(secret.data);
    for (const k of Object.keys(data).sort(compareGoStrings)) {
      const bytes = Buffer.from(data[k]!, 'base64');
      if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`);
      else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
    }
    return w.toString();
  },
};
