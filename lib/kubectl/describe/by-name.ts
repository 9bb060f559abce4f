/** `kubectl describe TYPE NAME`: the object, or, when none has that name, every object whose name starts with it. */
import { isNotFound } from '../../api/status.ts';
import type { ApiResource, KubeClient, KubeObject } from '../../kube/index.ts';
import { refOf } from '../resources.ts';
import { describeObject } from './describer.ts';
import { describerFor } from './index.ts';

/** The describe texts, one at a time as kubectl prints them; rethrows the NotFound when nothing matches. */
export async function* describeByName(client: KubeClient, res: ApiResource, namespace: string | undefined, name: string): AsyncGenerator<string> {
  const describer = describerFor(res);
  let obj: KubeObject;
  try {
    obj = await client.get(refOf(res), namespace, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const list = await client.listAll(refOf(res), namespace ? { namespace } : {});
    const matches = list.items.filter((it) => (it.metadata?.name ?? '').startsWith(name));
    if (matches.length === 0) throw e;
    for (const m of matches) {
      const full = { ...m, apiVersion: m.apiVersion ?? res.apiVersion, kind: m.kind ?? res.kind };
      yield `${await describeObject(describer, full, client)}\n`;
    }
    return;
  }
  yield await describeObject(describer, obj, client);
}
