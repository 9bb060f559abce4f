// The crash test's workload, shared by the child that runs it (crash-child.ts) and the parent
// that checks what survived (crash.test.ts). Deterministic given (round, seed): WRITERS writers,
// each owning KEYS_PER_WRITER keys and performing OPS_PER_WRITER sequential writes on them, so
// every write's precondition holds and the sequence of states of every key is known in advance,
// whatever the interleaving of the writers and wherever the process is killed.
import { createHash } from 'node:crypto';
import type { JsonObject } from '../../../runtime/store/types.ts';
import { mulberry32 } from '../../support/prng.ts';

export const WRITERS = 10;
export const KEYS_PER_WRITER = 3;
export const OPS_PER_WRITER = 50; // 500 writes per round

export interface PlannedWrite {
  writer: number;
  seq: number;
  key: string;
  type: 'create' | 'update' | 'delete';
  /** The value written (undefined for a delete). */
  value?: JsonObject;
  /** hashValue(value), or 'DELETED'. */
  hash: string;
}

export { mulberry32 };

/** Hash of a value without its resourceVersion (which the store assigns). */
export function hashValue(v: JsonObject): string {
  const { resourceVersion: _, ...meta } = (v.metadata ?? {}) as Record<string, unknown>;
  return createHash('sha1').update(JSON.stringify({ ...v, metadata: meta })).digest('hex').slice(0, 16);
}

export const crashKey = (round: number, writer: number, k: number) => `/registry/crash/r${round}/w${writer}/k${k}`;

/** Per writer, its writes in order. */
export function plan(round: number, seed: number): PlannedWrite[][] {
  const out: PlannedWrite[][] = [];
  for (let w = 0; w < WRITERS; w++) {
    const rand = mulberry32(seed * 1_000_003 + round * 7919 + w);
    const exists = new Array<boolean>(KEYS_PER_WRITER).fill(false);
    const writes: PlannedWrite[] = [];
    for (let seq = 0; seq < OPS_PER_WRITER; seq++) {
      const k = Math.floor(rand() * KEYS_PER_WRITER);
      const key = crashKey(round, w, k);
      let type: PlannedWrite['type'];
      if (!exists[k]) type = 'create';
      else type = rand() < 0.25 ? 'delete' : 'update';
      if (type === 'delete') {
        exists[k] = false;
        writes.push({ writer: w, seq, key, type, hash: 'DELETED' });
      } else {
        exists[k] = true;
        // Values of 0.5–4 KB, so commits take a while and kills land inside them.
        const value: JsonObject = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `w${w}-k${k}`, namespace: `r${round}` },
          data: { writer: String(w), seq: String(seq), blob: 'z'.repeat(512 + Math.floor(rand() * 3584)) },
        };
        writes.push({ writer: w, seq, key, type, value, hash: hashValue(value) });
      }
    }
    out.push(writes);
  }
  return out;
}
