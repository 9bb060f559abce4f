import type { ServicePortEntry } from './service-table.ts';

export type ProxyMode = 'userspace' | 'nftables';

/** Listeners that could not be opened, by Service (`ns/name`): Go-worded messages, sorted. */
export type BindFailures = Map<string, string[]>;

/**
 * What forwards Service traffic: the userspace proxy (sockets in this process) or kernel rules.
 * `apply` replaces the whole table at once; it never waits for the API server.
 */
export interface DataPlane {
  readonly mode: ProxyMode;
  /** Programs the table; resolves once every new listener is open or has failed. */
  apply(table: readonly ServicePortEntry[]): Promise<void>;
  /** The listeners that failed, as of the last apply or retry. */
  failures(): BindFailures;
  /** Called when failures() changed outside apply (a retried bind succeeded or failed anew). */
  onFailuresChanged?: () => void;
  /** Closes every listener and ends every forwarded connection (userspace), or removes the rules. */
  stop(): Promise<void>;
}
