/**
 * POST pods/{name}/eviction, after k/k pkg/registry/core/pod/storage/eviction.go (EvictionREST):
 * a policy/v1 (or v1beta1) Eviction whose deleteOptions (grace period, preconditions, dry run)
 * the pod's deletion honours; answered 201 with a Status Success, as upstream's create handler
 * answers a Status result. PodDisruptionBudgets are not served, so no budget is consulted: every
 * eviction goes straight to addConditionAndDeletePod (DisruptionTarget=True, then the delete).
 */
import { asObj, asStr } from '../../../lib/api/kinds/fields.ts';
import { formatTime } from '../../../lib/api/time.ts';
import { readObject, toDeleteOptions, type WriteQuery } from '../http/request.ts';
import { sendJson } from '../http/response.ts';
import type { DeleteOptions } from '../registry.ts';
import { resourceAt } from '../resources.ts';
import { errors } from '../status.ts';
import type { ResourceRequest, ServerContext } from './context.ts';

/** The versions EvictionREST.AcceptsGroupVersion takes. */
const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];

export async function evict(ctx: ServerContext, rr: ResourceRequest & { name: string }, write: WriteQuery): Promise<void> {
  const { req, res, ns, name } = rr;
  const body = await readObject(req, 'policy.Eviction');
  const apiVersion = asStr(body.apiVersion);
  const kind = asStr(body.kind);
  if ((apiVersion && !EVICTION_VERSIONS.includes(apiVersion)) || (kind && kind !== 'Eviction')) {
    throw errors.badRequest(`no kind "${kind}" is registered for version "${apiVersion}" (pods/eviction accepts ${EVICTION_VERSIONS.map((v) => `${v} Eviction`).join(', ')})`);
  }
  const meta = asObj(body.metadata) ?? {};
  if (asStr(meta.name) !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  if (meta.namespace !== undefined && meta.namespace !== ns) throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  // The query is CreateOptions: only its dryRun reaches the delete (propagateDryRun).
  const opts = toDeleteOptions(body.deleteOptions ?? null, new URLSearchParams());
  if (write.dryRun) opts.dryRun = true;
  await addConditionAndDeletePod(ctx, ns!, name, opts);
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** DisruptionTarget=True (reason EvictionByEvictionAPI) on the latest pod, then the delete. */
async function addConditionAndDeletePod(ctx: ServerContext, ns: string, name: string, opts: DeleteOptions): Promise<void> {
  const reg = ctx.registry;
  const pods = resourceAt('v1', 'pods')!;
  if (!opts.dryRun) {
    // The preconditions are checked before the pod is touched: a dry run of the delete says
    // whether they hold, in the registry's own words.
    await reg.delete(pods, ns, name, { ...opts, dryRun: true });
    const pre = opts.preconditions;
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: formatTime(reg.clock()),
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    };
    // Conditions merge by type: the pod's other conditions stay as the kubelet wrote them.
    const { object } = await reg.patch(pods, ns, name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
    // We changed the pod: a resourceVersion precondition now names our write (as upstream bumps it).
    if (pre?.resourceVersion) opts = { ...opts, preconditions: { ...pre, resourceVersion: object.metadata.resourceVersion ?? '' } };
  }
  await reg.delete(pods, ns, name, opts);
}
