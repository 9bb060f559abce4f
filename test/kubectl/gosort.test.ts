// Go's sort.Sort (pdqsort), which orders describe's events.
import { describe, expect, it } from 'vitest';
import { goSort } from '../../lib/kubectl/gosort.ts';

describe('goSort', () => {
  it('orders events as kubectl: Go sort.Sort, stable up to 12, pdqsort beyond', () => {
    // 30 events R00..R29 (server order) with lastTimestamp i % 3; kubectl 1.32 described them in this order
    const events = Array.from({ length: 30 }, (_, i) => ({ reason: `R${String(i).padStart(2, '0')}`, t: i % 3 }));
    const kubectlOrder = 'R12 R27 R24 R03 R21 R18 R06 R00 R15 R09 R07 R04 R10 R13 R28 R01 R16 R25 R22 R19 R08 R20 R05 R23 R02 R17 R26 R11 R14 R29';
    expect(goSort(events, (a, b) => a.t < b.t).map((e) => e.reason).join(' ')).toBe(kubectlOrder);
    const few = events.slice(0, 12);
    expect(goSort(few, (a, b) => a.t < b.t)).toEqual([...few].sort((a, b) => a.t - b.t));
    const nums = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    expect(goSort(nums, (a, b) => a < b)).toEqual([...nums].sort((a, b) => a - b));
  });
});
