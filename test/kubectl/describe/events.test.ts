// kubectl 1.32's Events section (the expectations are its output for the same events).
import { describe, expect, it } from 'vitest';
import { describeEvents } from '../../../lib/kubectl/describe/events.ts';
import { PrefixWriter } from '../../../lib/kubectl/describe/prefix-writer.ts';
import { event, NOW } from './fixtures.ts';

describe('describeEvents', () => {
  it('prints the Events table with repeat counts, flushed apart from what precedes it', () => {
    const w = new PrefixWriter();
    w.write(0, 'A very long field name:\tx\n');
    describeEvents(
      [
        event({ kind: 'Pod', name: 'web' }, 'Scheduled', 'Successfully assigned default/web to kite-node-1', { age: 40, component: 'default-scheduler' }),
        event({ kind: 'Pod', name: 'web', fieldPath: 'spec.containers{web}' }, 'BackOff', 'Back-off restarting failed container', { type: 'Warning', age: 10, count: 7, first: 180, component: 'kubelet' }),
      ],
      w,
      NOW,
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
    describeEvents([], none, NOW);
    expect(none.toString()).toBe('Events:  <none>\n');
  });

  it('names the reporting controller when the event has no source (events.k8s.io-style events)', () => {
    const e = { ...event({ kind: 'Pod', name: 'web' }, 'Pulled', 'Container image already present', { age: 5 }), source: {}, reportingComponent: 'kubelet' };
    const w = new PrefixWriter();
    describeEvents([e], w, NOW);
    expect(w.toString()).toContain('  Normal  Pulled  5s    kubelet  Container image already present\n');
  });
});
