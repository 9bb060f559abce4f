/**
 * The probe workers' clock: timers that fire on a shared grid (every `grainMs` of wall-clock
 * time) instead of each at its own millisecond, so the probes of a hundred containers wake the
 * event loop ten times a second rather than a hundred, and their connections' events arrive
 * together in the same turns of the loop. On this machine a wake-up of an idle Node process costs
 * ~0.15 ms of CPU (a VM exit for the timer and another for the halt), about as much as a
 * tcpSocket probe's own work. A timer fires no earlier than asked and at most `grainMs` later:
 * the kubelet's probe ticks promise no better (each worker's ticker starts at a random offset;
 * periods are whole seconds).
 */
import type { ProberTimers } from './prober.ts';

/** 100 ms: a tenth of the shortest period a probe may have. */
export const PROBE_GRAIN_MS = 100;

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
