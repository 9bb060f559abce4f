/**
 * lib/api's Pod admission plugins (lib/api/pod-admission.ts) with what they look up: the
 * ServiceAccount plugin's account lookup reads the store. As upstream's getServiceAccount, a
 * missing `default` account is waited for a little (the serviceaccounts controller makes it
 * right after its namespace, and a pod may come in the same breath); any other name is looked
 * up once.
 */
import { canonicalKeyOrder } from '../../lib/api/defaults.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import { admitPodCreate, admitPodUpdate, serviceAccountNotFound, type PodAdmissionRefusal } from '../../lib/api/pod-admission.ts';
import { DEFAULT_SERVICE_ACCOUNT } from '../../lib/api/kinds/serviceaccount.ts';
import { isKind } from '../../lib/api/resource-types.ts';
import type { Store } from '../store/types.ts';
import { errors } from './status.ts';
import type { ResourceDef } from './resources.ts';

/** Upstream retries the default account 10 times, 100–200 ms apart. */
const DEFAULT_ACCOUNT_WAIT_MS = 2000;

export interface PodAdmissionOptions {
  /** The ServiceAccount plugin is enabled (kube-apiserver's default; a bare registry in tests runs without). */
  serviceAccounts: boolean;
}

/** The mutating plugins on a pod being created; throws 403 Forbidden as the plugin refuses. */
export async function admitCreatedPod(store: Store<KubeObject>, r: ResourceDef, obj: KubeObject, opts: PodAdmissionOptions): Promise<KubeObject> {
  if (!isKind(obj, 'Pod')) return obj;
  const admitted = admitPodCreate(obj, opts);
  if ('forbidden' in admitted) throw refused(r, obj, admitted);
  if (opts.serviceAccounts) {
    const ns = obj.metadata.namespace ?? '';
    const name = admitted.spec.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT;
    const wait = name === DEFAULT_SERVICE_ACCOUNT ? DEFAULT_ACCOUNT_WAIT_MS : 0;
    if (!(await appears(store, `/registry/serviceaccounts/${ns}/${name}`, wait))) throw refused(r, obj, serviceAccountNotFound(ns, name));
  }
  return canonicalKeyOrder(admitted);
}

/** The mutating plugins on a pod update (the main resource, not status). */
export function admitUpdatedPod(obj: KubeObject, old: KubeObject): KubeObject {
  return isKind(obj, 'Pod') && isKind(old, 'Pod') ? canonicalKeyOrder(admitPodUpdate(obj, old)) : obj;
}

/** admission.NewForbidden: `pods "web" is forbidden: <reason>`. */
function refused(r: ResourceDef, obj: KubeObject, refusal: PodAdmissionRefusal) {
  const name = obj.metadata.name ?? '';
  return errors.forbidden(refusal.forbidden, r, name);
}

/** Whether the key exists now or is created within `waitMs`. */
function appears(store: Store<KubeObject>, key: string, waitMs: number): Promise<boolean> {
  const revision = store.revision;
  if (store.get(key)) return Promise.resolve(true);
  if (waitMs <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (found: boolean) => {
      clearTimeout(timer);
      stop();
      resolve(found);
    };
    const timer = setTimeout(() => done(store.get(key) !== undefined), waitMs);
    const stop = store.watch(key, revision, (e) => {
      if (e.key === key && e.type !== 'DELETED') queueMicrotask(() => done(true));
    });
  });
}
