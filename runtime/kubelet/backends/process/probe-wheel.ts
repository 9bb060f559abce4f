/**
 * The probe workers' clock: timers that fire on a shared grid (every `grainMs` of wall-clock
 * time) instead of each at its own millisecond, so the probes of a hundred containers wake the
 * event loop once a second rather than a hundred times, and their connections' events arrive
 * together in the same turns of the loop. On this machine a wake-up of an idle Node process costs
 * ~0.2 ms of CPU (measured as the scheduler's own run time, /proc/<pid>/schedstat, so it is no
 * artefact of tick sampling), about as much as a tcpSocket probe's own work. A timer fires no
 * earlier than asked and at most `grainMs` later.
 */
import type { ProberTimers } from './prober.ts';

/**
 * One second, the unit of every probe period (periodSeconds is a whole number): a worker's ticks
 * keep their phase (prober.ts), so on this grid each tick is late by the same amount, under a
 * second, fixed when the worker starts. Its first probe still runs at once; only the gap to the
 * second one is longer than the period, by that amount, and later gaps are the period. The
 * kubelet promises no better: its workers' tickers start at whatever moment the worker does,
 * and after a kubelet restart at a random part of the period. Every probe of the runtime, whatever
 * its period, thus fires at whole seconds of the clock: one wake-up a second.
 */
export const PROBE_GRAIN_MS = 1000;

interface Slot {
  /** When the slot is due (Date.now() time, a multiple of the grain). */
  at: number;
  timer: NodeJS.Timeout;
  entries: Set<Entry>;
}

interface Entry {
  fn: () => void;
  slot: Slot;
}

export function probeWheel(grainMs = PROBE_GRAIN_MS, now: () => number = Date.now): ProberTimers {
  const slots = new Map<number, Slot>();

  const arm = (slot: Slot): void => {
    // Unref'd like the probe timers before it: probes alone do not keep the runtime alive.
    slot.timer = setTimeout(() => fire(slot), Math.max(0, slot.at - now())).unref();
  };

  const fire = (slot: Slot): void => {
    // Node's timers run on the loop's cached clock, which may lag Date.now() by a millisecond
    // or two: a slot fired early is re-armed, so no probe runs before its tick.
    if (now() < slot.at) return arm(slot);
    slots.delete(slot.at);
    for (const e of slot.entries) e.fn();
  };

  return {
    now,
    setTimeout(fn, ms) {
      const at = Math.ceil((now() + Math.max(0, ms)) / grainMs) * grainMs;
      let slot = slots.get(at);
      if (!slot) {
        slot = { at, timer: undefined as unknown as NodeJS.Timeout, entries: new Set() };
        slots.set(at, slot);
        arm(slot);
      }
      const entry: Entry = { fn, slot };
      slot.entries.add(entry);
      return entry;
    },
    clearTimeout(t) {
      const entry = t as Entry | undefined;
      if (!entry?.slot) return;
      const { slot } = entry;
      slot.entries.delete(entry);
      if (slot.entries.size === 0 && slots.get(slot.at) === slot) {
        clearTimeout(slot.timer);
        slots.delete(slot.at);
      }
    },
  };
}
