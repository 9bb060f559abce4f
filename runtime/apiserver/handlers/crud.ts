/** A collection (list, create, delete collection) and an object (get, update, patch, delete). */
import { readJson, readPatch, deleteOptions, includeObject, listOptions, wantsTable, writeOptions, TABLE_TYPE } from '../http/request.ts';
import { listMeta, sendJson, sendWrite, withListMeta } from '../http/response.ts';
import { errors } from '../status.ts';
import { toTable } from '../tables.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { watch } from './watch.ts';

export async function serveCollection(ctx: ServerContext, rr: ResourceRequest): Promise<void> {
  const { req, res, method, q, r, ns } = rr;
  const reg = ctx.registry;
  const write = writeOptions(q, req.headers['user-agent']);
  const list = listOptions(q);
  if (method === 'GET') {
    if (q.get('watch') === 'true' || q.get('watch') === '1') return watch(ctx, rr, { ...list, resourceVersion: q.get('resourceVersion') ?? undefined });
    const result = reg.list(r, ns, list);
    if (wantsTable(req)) return sendJson(res, 200, withListMeta(toTable(r.resource, result.items, { now: reg.clock(), includeObject: includeObject(q) }), result), TABLE_TYPE);
    return sendJson(res, 200, { kind: `${r.kind}List`, apiVersion: r.apiVersion, metadata: listMeta(result), items: result.items });
  }
  if (method === 'POST') return sendWrite(res, await reg.create(r, ns, await readJson(req, r.kind), write), 201);
  if (method === 'DELETE' && r.verbs.includes('deletecollection')) {
    const opts = await deleteOptions(req, q);
    const deleted = [];
    for (const item of reg.list(r, ns, list).items) deleted.push((await reg.delete(r, ns, item.metadata.name ?? '', opts)).object);
    return sendJson(res, 200, { kind: `${r.kind}List`, apiVersion: r.apiVersion, metadata: { resourceVersion: String(reg.revision) }, items: deleted });
  }
  throw errors.methodNotAllowed(method);
}

export async function serveObject(ctx: ServerContext, rr: ResourceRequest & { name: string }): Promise<void> {
  const { req, res, method, q, r, ns, name } = rr;
  const reg = ctx.registry;
  const write = writeOptions(q, req.headers['user-agent']);
  if (method === 'GET') {
    const obj = reg.get(r, ns, name);
    if (wantsTable(req)) return sendJson(res, 200, toTable(r.resource, [obj], { now: reg.clock(), includeObject: includeObject(q) }), TABLE_TYPE);
    return sendJson(res, 200, obj);
  }
  if (method === 'PUT') return sendWrite(res, await reg.update(r, ns, name, await readJson(req, r.kind), write), 200);
  if (method === 'PATCH') {
    const { type, patch } = await readPatch(req);
    return sendWrite(res, await reg.patch(r, ns, name, type, patch, { ...write, force: q.get('force') === 'true' }), 200);
  }
  if (method === 'DELETE') return sendWrite(res, await reg.delete(r, ns, name, await deleteOptions(req, q)), 200);
  throw errors.methodNotAllowed(method);
}
