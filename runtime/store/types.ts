/**
 * The store's contract (implementation: ./sqlite-store.ts). Values are JSON objects (Kubernetes
 * objects); the store owns `metadata.resourceVersion`, which it sets on every value it returns.
 * Values the store returns (get, list, write results, watch events) are deeply frozen and shared:
 * treat them as read-only and copy (structuredClone) before editing.
 */
export type JsonObject = Record<string, unknown>;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  key: string;
  /** The global revision of this change. */
  rv: number;
  /** The object after the change (for DELETED: its last state, carrying the deletion's rv). */
  object: JsonObject;
  /** For MODIFIED: the state before, so selector watches can turn "stopped matching" into DELETED. */
  prev?: JsonObject;
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

export interface Store {
  /** The newest committed revision. */
  readonly revision: number;
  /** The oldest revision a watch may start after without a 410 Expired. */
  readonly oldestWatchableRevision: number;

  get(key: string): JsonObject | undefined;
  /** Every value whose key starts with `prefix`, in key order, and the revision they reflect. */
  list(prefix: string): { items: JsonObject[]; revision: number };

  /** Resolve once durable (fsynced). AlreadyExists if the key exists. */
  create(key: string, value: JsonObject): Promise<JsonObject>;
  /** Conflict if `expectedRv` is given and differs from the stored one; NotFound if absent. */
  update(key: string, value: JsonObject, expectedRv?: number): Promise<JsonObject>;
  delete(key: string, expectedRv?: number): Promise<JsonObject>;

  /**
   * Calls `onEvent` for every committed change under `prefix` after revision `afterRv`, in order,
   * first replaying retained history. Throws StoreError('Expired') if `afterRv` is older than
   * the retained history. Returns a function that stops the watch.
   */
  watch(prefix: string, afterRv: number, onEvent: (e: StoreEvent) => void): () => void;

  close(): Promise<void>;
}
