/**
 * The store's contract (implementation: ./sqlite-store.ts). Values are JSON objects (Kubernetes
 * objects); the store owns `metadata.resourceVersion`, which it sets on every value it returns.
 * Values the store returns (get, list, write results, watch events) are deeply frozen and shared:
 * treat them as read-only and copy (structuredClone) before editing.
 */
export type JsonObject = Record<string, unknown>;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent<V extends JsonObject = JsonObject> {
  type: WatchEventType;
  key: string;
  /** The global revision of this change. */
  rv: number;
  /** The object after the change (for DELETED: its last state, carrying the deletion's rv). */
  object: V;
  /** For MODIFIED: the state before, so selector watches can turn "stopped matching" into DELETED. */
  prev?: V;
}

export type StoreErrorReason = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Expired';

/** A refused operation, as data: the API server maps it to a Kubernetes Status. */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A write that was not made durable: its commit failed (and was rolled back), the store failed
 * stop after an I/O error, or the store is closed. Not a StoreError: it is a server-side failure
 * (HTTP 500), and the write may be retried. `cause` holds the underlying error when there is one.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `V`: what the values are (the API server's registry reads its own store as KubeObjects). */
export interface Store<V extends JsonObject = JsonObject> {
  /** The newest committed revision. */
  readonly revision: number;
  /** The oldest revision a watch may start after without a 410 Expired. */
  readonly oldestWatchableRevision: number;

  get(key: string): V | undefined;
  /** Every value whose key starts with `prefix`, in key order, and the revision they reflect. */
  list(prefix: string): { items: V[]; revision: number };

  /** Resolve once durable (fsynced). AlreadyExists if the key exists. */
  create(key: string, value: V): Promise<V>;
  /** Conflict if `expectedRv` is given and differs from the stored one; NotFound if absent. */
  update(key: string, value: V, expectedRv?: number): Promise<V>;
  delete(key: string, expectedRv?: number): Promise<V>;

  /**
   * Calls `onEvent` for every committed change under `prefix` after revision `afterRv`, in order,
   * first replaying retained history. Throws StoreError('Expired') if `afterRv` is older than
   * the retained history. Returns a function that stops the watch.
   */
  watch(prefix: string, afterRv: number, onEvent: (e: StoreEvent<V>) => void): () => void;

  close(): Promise<void>;
}

/** Another store (a runtime, in this or another process) holds the database's exclusive lock. */
export class StoreLockedError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is in use by another store (${detail})`);
  }
}
