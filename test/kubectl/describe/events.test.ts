// kubectl 1.32's Events section (the expectations are its output for the same events).
import { describe, expect, it } from 'vitest';
import { describeEvents } from '../../../lib/kubectl/describe/events.ts';
import { PrefixWriter } from '../../../lib/kubectl/describe/prefix-writer.ts';

const NOW = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('describeEvents', () => {
  it('prints the Events table with repeat counts, flushed apart from what precedes it', () => {
    const w = new PrefixWriter();
    w.write(0, 'A very long field name:\tx\n');
    const now = NOW.getTime();
    describeEvents(
      [
        { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to kite-node-1', source: { component: 'default-scheduler' }, firstTimestamp: ago(40), lastTimestamp: ago(40), count: 1 },
        { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', source: { component: 'kubelet' }, firstTimestamp: ago(180), lastTimestamp: ago(10), count: 7, involvedObject: { fieldPath: 'spec.containers{web}' } },
      ],
      w,
      now,
    );
    expect(w.toString()).toBe(
      [
        'A very long field name:  x',
        'Events:',
        '  Type     Reason     Age               From               Message',
        '  ----     ------     ----              ----               -------',
        '  Normal   Scheduled  40s               default-scheduler  Successfully assigned default/web to kite-node-1',
        '  Warning  BackOff    10s (x7 over 3m)  kubelet            spec.containers{web}: Back-off restarting failed container',
        '',
      ].join('\n'),
    );
    const none = new PrefixWriter();
    describeEvents([], none, now);
    expect(none.toString()).toBe('Events:  <none>\n');
  });
});
