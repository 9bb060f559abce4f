/** Subresources: status, scale (autoscaling/v1 Scale), binding (the scheduler's), eviction and log (pods), finalize (namespaces). */
import type { ServerResponse } from 'node:http';
import { asObj } from '../../../lib/api/kinds/fields.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { queryInt } from '../http/decode.ts';
import { readJson, readObject, readPatch, writeOptions, type WriteQuery } from '../http/request.ts';
import { sendJson, sendWrite } from '../http/response.ts';
import { applyPatch } from '../patching.ts';
import { errors } from '../status.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { proxyLog } from './kubelet-proxy.ts';
import { kubeletStream } from './streaming.ts';
import { evict } from './eviction.ts';
import { fieldError } from '../../../lib/api/diagnostics.ts';

export async function serveSubresource(ctx: ServerContext, rr: ResourceRequest & { name: string; sub: string }): Promise<void> {
  const { req, res, method, q, r, ns, name, sub } = rr;
  const reg = ctx.registry;
  const write = writeOptions(q, req.headers['user-agent']);
  switch (sub) {
    case 'status':
      if (method === 'GET') return sendJson(res, 200, reg.get(r, ns, name));
      if (method === 'PUT') return sendWrite(res, await reg.update(r, ns, name, await readJson(req, r.kind), { ...write, subresource: 'status' }), 200);
      if (method === 'PATCH') {
        const { type, patch } = await readPatch(req);
        return sendWrite(res, await reg.patch(r, ns, name, type, patch, { ...write, subresource: 'status' }), 200);
      }
      break;
    case 'scale':
      return scale(ctx, rr, write);
    case 'binding':
      if (method === 'POST') return sendWrite(res, await reg.bind(ns!, name, await readObject(req, 'v1.Binding')), 201);
      break;
    case 'eviction':
      if (method === 'POST') return evict(ctx, { ...rr, name }, write);
      break;
    case 'finalize':
      if (method === 'PUT') return sendWrite(res, await reg.finalizeNamespace(name, await readObject(req, 'v1.Namespace')), 200);
      break;
    case 'log':
      if (method === 'GET') return logs(ctx, res, ns!, name, q);
      break;
    case 'exec':
    case 'attach':
    case 'portforward':
      // GET (websocket) or POST (SPDY) upgrades come through serveUpgrade; a plain request is checked, then refused.
      if (method === 'GET' || method === 'POST') {
        kubeletStream(reg, ns!, name, sub, q);
        throw errors.badRequest('Upgrade request required');
      }
      break;
  }
  throw errors.methodNotAllowed(method);
}

/** autoscaling/v1 Scale of a ReplicaSet or ReplicationController. */
type Scale = {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: KubeObject['metadata'];
  spec: { replicas: number };
  status: { replicas: number; selector: string };
};

function toScale(obj: KubeObject): Scale {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

async function scale(ctx: ServerContext, rr: ResourceRequest & { name: string }, write: WriteQuery): Promise<void> {
  const { req, res, method, r, ns, name } = rr;
  const reg = ctx.registry;
  if (method === 'GET') return sendJson(res, 200, toScale(reg.get(r, ns, name)));
  let replicas: unknown;
  let rv: string | undefined;
  if (method === 'PUT') {
    const body = (await readObject(req, 'v1.Scale')) as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string } };
    replicas = body.spec?.replicas;
    rv = body.metadata?.resourceVersion;
  } else if (method === 'PATCH') {
    const { type, patch } = await readPatch(req);
    const current = toScale(reg.get(r, ns, name));
    const { object: next } = applyPatch(type === 'strategic' ? 'merge' : type, current, patch, { kind: 'Scale', apiVersion: 'autoscaling/v1', manager: write.fieldManager ?? '', force: false, now: reg.clock() });
    replicas = asObj(next.spec)?.replicas;
    rv = next.metadata?.resourceVersion !== current.metadata.resourceVersion ? next.metadata?.resourceVersion : undefined;
  } else throw errors.methodNotAllowed(method);
  if (!Number.isInteger(replicas) || (replicas as number) < 0) {
    throw errors.invalid(r, name, [fieldError('invalid', 'spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const patch = { spec: { replicas }, ...(rv ? { metadata: { resourceVersion: rv } } : {}) };
  const result = await reg.patch(r, ns, name, 'merge', patch, write);
  return sendJson(res, 200, toScale(result.object));
}

/** The Scale's status.selector: a label selector (either form) as a string, as kubectl shows it. */
function selectorString(selector: unknown): string {
  const sel = selector as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined;
  if (!sel) return '';
  const labels: Record<string, string> = sel.matchLabels || sel.matchExpressions ? (sel.matchLabels ?? {}) : (sel as Record<string, string>);
  const parts = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In' || op === 'NotIn') parts.push(`${e.key} ${op.toLowerCase()} (${[...(e.values ?? [])].sort().join(',')})`);
    else parts.push(op === 'Exists' ? e.key : `!${e.key}`);
  }
  return parts.join(',');
}

/** pods/log through the pod's kubelet (query checks first: a bad tailLines or sinceSeconds is the caller's mistake). */
async function logs(ctx: ServerContext, res: ServerResponse, ns: string, name: string, q: URLSearchParams): Promise<void> {
  for (const k of ['tailLines', 'sinceSeconds', 'limitBytes']) queryInt(q, k);
  await proxyLog(res, kubeletStream(ctx.registry, ns, name, 'log', q), ctx.kubeletToken);
}
