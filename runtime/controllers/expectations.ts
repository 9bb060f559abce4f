/**
 * k/k pkg/controller/controller_utils.go ControllerExpectations + UIDTrackingControllerExpectations:
 * what a controller is still waiting to see in its informer after creating or deleting pods.
 * While creations/deletions are outstanding the controller does not act again (a lagging watch
 * never causes over-creation); an expectation older than 5 minutes is considered satisfied.
 */

/** ExpectationsTimeout */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Record>();
  /** The pod keys whose deletion each controller waits for (UIDTrackingControllerExpectations). */
  private readonly deletions = new Map<string, Set<string>>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** SatisfiedExpectations: no record, fulfilled, or expired. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.now() - r.timestamp > this.ttlMs;
  }

  /** ExpectCreations (SetExpectations(key, n, 0)). */
  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, timestamp: this.now() });
  }

  /** ExpectDeletions with the keys (`ns/name`) of the pods to be deleted. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const set = new Set(podKeys);
    this.deletions.set(key, set);
    this.records.set(key, { add: 0, del: set.size, timestamp: this.now() });
  }

  /** CreationObserved: one expected creation seen (or abandoned). */
  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  /** DeletionObserved: counted once per expected pod key. */
  deletionObserved(key: string, podKey: string): void {
    const set = this.deletions.get(key);
    if (!set || !set.delete(podKey)) return;
    const r = this.records.get(key);
    if (r) r.del--;
  }

  /** DeleteExpectations */
  delete(key: string): void {
    this.records.delete(key);
    this.deletions.delete(key);
  }

  /** For tests and debugging: the outstanding counts. */
  get(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r ? { add: r.add, del: r.del } : undefined;
  }
}
