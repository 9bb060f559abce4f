/** A watch: chunked JSON events (or Table rows), bookmarks, ended by timeout, client or server close. */
import { parseResourceVersion, queryInt } from '../http/decode.ts';
import { includeObject, wantsTable, TABLE_TYPE } from '../http/request.ts';
import type { ListOptions, WatchEvent } from '../registry.ts';
import { ApiError } from '../status.ts';
import { toTable } from '../tables.ts';
import type { ResourceRequest, ServerContext } from './context.ts';

export function watch(ctx: ServerContext, rr: ResourceRequest, opts: ListOptions & { resourceVersion?: string | undefined }): void {
  const { req, res, q, r, ns } = rr;
  const table = wantsTable(req);
  const include = includeObject(q);
  // Parameters are checked before the 200 is sent: a bad one is a 400, not an ERROR event.
  parseResourceVersion(opts.resourceVersion ?? '');
  const timeout = queryInt(q, 'timeoutSeconds') ?? 1800;
  res.writeHead(200, { 'Content-Type': table ? TABLE_TYPE : 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  const write = (e: WatchEvent) => {
    const object = table && e.type !== 'ERROR' && e.type !== 'BOOKMARK' ? toTable(r.resource, [e.object], { now: ctx.registry.clock(), includeObject: include }) : e.object;
    res.write(JSON.stringify({ type: e.type, object }) + '\n');
  };
  let stop: () => void = () => {};
  const timers: NodeJS.Timeout[] = [];
  const end = () => {
    stop();
    timers.forEach(clearTimeout);
    ctx.watches.delete(end);
    if (!res.writableEnded) res.end();
  };
  ctx.watches.add(end);
  res.on('close', end);
  try {
    stop = ctx.registry.watch(r, ns, opts, write);
  } catch (e) {
    if (e instanceof ApiError) {
      write({ type: 'ERROR', object: e.toStatus() });
      return end();
    }
    throw e;
  }
  timers.push(setTimeout(end, Math.max(1, timeout) * 1000));
  if (q.get('allowWatchBookmarks') === 'true') {
    const interval = ctx.bookmarkIntervalMs ?? 10_000;
    const bookmark = () => {
      write({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion: r.apiVersion, metadata: { resourceVersion: String(ctx.registry.revision) } } });
      timers.push(setTimeout(bookmark, interval));
    };
    timers.push(setTimeout(bookmark, interval));
  }
}
