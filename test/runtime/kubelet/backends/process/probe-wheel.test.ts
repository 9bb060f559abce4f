/**
 * The probe workers' shared clock: timers fire on the grid, never before they are due, those of
 * one slot together in one turn of the event loop, and a cleared timer never.
 */
import { describe, expect, it } from 'vitest';
import { probeWheel } from '../../../../../runtime/kubelet/backends/process/probe-wheel.ts';

const GRAIN = 40;

describe('probeWheel', () => {
  it('fires timers due in one slot together, on the grid and never early', async () => {
    // The clock stands still while the timers are set, so a busy machine cannot move one of them
    // into the next slot; it runs again before any of them can fire.
    const start = Date.now();
    let standing: number | undefined = start;
    const wheel = probeWheel(GRAIN, () => standing ?? Date.now());
    // Delays that all land in the first slot after start + 1 ms.
    const slotAt = Math.ceil((start + 1) / GRAIN) * GRAIN;
    const delays = [1, Math.max(1, Math.floor((slotAt - start) / 2)), slotAt - start];
    const fired: { due: number; at: number; turn: number }[] = [];
    let turn = 0;
    await new Promise<void>((done) => {
      for (const ms of delays) {
        const due = start + ms;
        wheel.setTimeout(() => {
          // A microtask queued by the first of the slot runs only after the slot's last timer.
          if (fired.length === 0) queueMicrotask(() => turn++);
          fired.push({ due, at: Date.now(), turn });
          if (fired.length === delays.length) done();
        }, ms);
      }
      standing = undefined;
    });
    expect(fired.map((f) => f.turn)).toEqual([0, 0, 0]);
    for (const f of fired) {
      expect(f.at).toBeGreaterThanOrEqual(f.due);
      expect(f.at).toBeGreaterThanOrEqual(slotAt);
    }
  });

  it('never fires a cleared timer, and keeps the others of its slot', async () => {
    const wheel = probeWheel(GRAIN);
    let cleared = 0;
    const t = wheel.setTimeout(() => cleared++, 5);
    const kept = new Promise<void>((done) => wheel.setTimeout(done, 5));
    wheel.clearTimeout(t);
    await kept;
    // A timer two slots later has fired only after the cleared one's slot has passed.
    await new Promise<void>((done) => wheel.setTimeout(done, 2 * GRAIN));
    expect(cleared).toBe(0);
  });

  it('clears the last timer of a slot without firing anything', async () => {
    const wheel = probeWheel(GRAIN);
    let fired = 0;
    for (const t of [wheel.setTimeout(() => fired++, 1), wheel.setTimeout(() => fired++, 2)]) wheel.clearTimeout(t);
    await new Promise<void>((done) => wheel.setTimeout(done, 3 * GRAIN));
    expect(fired).toBe(0);
  });
});
