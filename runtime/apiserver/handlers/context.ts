/** What every handler is given: the server's registry and options, and the request at hand. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Registry } from '../registry.ts';
import type { ResourceDef } from '../resources.ts';

/** Where pod logs come from (the kubelet); absent: pods have no logs to show. */
export type LogSource = (ns: string, pod: string, opts: LogOptions) => Promise<Readable | string>;
export interface LogOptions {
  container?: string;
  follow: boolean;
  tailLines?: number;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
}

export interface ServerContext {
  registry: Registry;
  logs?: LogSource | undefined;
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
