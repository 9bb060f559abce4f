/** What every handler is given: the server's registry and options, and the request at hand. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../registry.ts';
import type { ResourceDef } from '../resources.ts';

export interface ServerContext {
  registry: Registry;
  /** What the API server presents to kubelets (pods/log, pods/exec are proxied to them). */
  kubeletToken: string;
  /** Interval of watch bookmarks for clients that allow them. */
  bookmarkIntervalMs?: number | undefined;
  /** Open watches, each ended by its function (the server ends them all on close). */
  watches: Set<() => void>;
}

/** A request routed to a resource: `name` absent for the collection, `sub` for a subresource. */
export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  q: URLSearchParams;
  r: ResourceDef;
  ns: string | undefined;
  name: string | undefined;
  sub: string | undefined;
}
