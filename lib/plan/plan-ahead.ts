import type { KubeObject } from '../api/meta.ts';
import type { KubeClient } from '../kube/index.ts';
import { APPLYSET_PART_OF_LABEL, keyOf, readInventory, refOf, type ApplySet, type Inventory } from './inventory.ts';
import type { ObjectRef } from './plan.ts';
import { planObject, prepareObject, prepareWith, type PlannedObject } from './planner.ts';

/**
 * A stack's plan begun while its program's objects are still being validated (the box sends them
 * a part at a time, lib/synth/load-program.ts): the inventory is read, and each object that is
 * already a member is prepared and diffed against it. planStack takes what was planned here
 * (PlanOptions.inventory and .planned): the same functions on the same objects, so the plan is the
 * same either way; whatever fails here is done again there, where its error is reported.
 */
export class PlanAhead {
  readonly inventory: Promise<Inventory>;
  /** By the manifest object the program's box sent. */
  readonly planned = new Map<KubeObject, PlannedObject>();
  private readonly members: Promise<Map<string, KubeObject>>;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: KubeClient,
    private readonly applySet: ApplySet,
  ) {
    this.inventory = readInventory(client, applySet);
    this.members = this.inventory.then((inv) => new Map(inv.members.map((m) => [keyOf(refOf(m)), m])));
    this.members.catch(() => undefined); // the plan awaits the inventory and reports its error
  }

  /** Plans these objects once the inventory is read, after those added before. */
  add(objects: readonly KubeObject[]): void {
    this.queue = this.queue.then(() => this.plan(objects)).catch(() => undefined);
  }

  /** Resolves once every object added so far is planned or left to planStack. */
  settled(): Promise<void> {
    return this.queue;
  }

  private async plan(objects: readonly KubeObject[]): Promise<void> {
    const members = await this.members;
    // A part per turn of the event loop: the box's next parts are read meanwhile.
    await new Promise((done) => setImmediate(done));
    const liveOf = (ref: ObjectRef) => members.get(keyOf(ref));
    for (const o of objects) {
      const r = this.client.knownResource(o);
      const desired = r ? prepareWith(o, r, this.client, this.applySet, liveOf) : await prepareObject(o, this.client, this.applySet, liveOf);
      const live = members.get(keyOf(desired.ref));
      // Not a member, read at another version, or another ApplySet's: planStack's own cases.
      if (!live || live.apiVersion !== desired.ref.apiVersion || live.metadata.labels?.[APPLYSET_PART_OF_LABEL] !== this.applySet.id) continue;
      this.planned.set(o, { desired, live, plan: planObject(desired.object, live, this.applySet) });
    }
  }
}
