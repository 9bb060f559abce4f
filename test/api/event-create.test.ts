// An Event create admitted without the generic decoder (lib/api/event-create.ts) against the
// generic admission it stands in for (validateManifest, then the kind's defaults, as
// runtime/apiserver/admission.ts admits): the same object, values and key order, for the shapes
// recorders send; no answer (the generic admission decides, with its own words) for anything
// else, valid or not.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../lib/api/defaults.ts';
import { admitEventCreate } from '../../lib/api/event-create.ts';
import { validateManifest } from '../../lib/api/validate.ts';

const at = '2026-12-07T10:00:00Z';

/** What runtime/client/events.ts creates (the registry has set the namespace). */
const recorded = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-0.18a2b3c4d5e6f', namespace: 'prod' },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'prod', uid: '9d0c', resourceVersion: '42', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Container image "nginx:1.25" already present on machine',
  type: 'Normal',
  source: { component: 'kubelet', host: 'node-1' },
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
  firstTimestamp: at,
  lastTimestamp: at,
  count: 1,
};

function generic(input: unknown): unknown {
  const r = validateManifest(input, { allowLoopbackIPs: true });
  if (!r.object || r.diagnostics.length > 0) return undefined;
  return applyDefaults(r.object, { mode: 'create', owned: true });
}

const reversed = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());

describe('admitEventCreate', () => {
  const same: [string, Record<string, unknown>][] = [
    ['a recorded pod Event', recorded],
    ['one about a Node (no involved namespace) in default', { ...recorded, metadata: { name: 'node-1.1', namespace: 'default' }, involvedObject: { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'node-1', namespace: undefined } }],
    ['members in another order', reversed({ ...recorded, metadata: reversed(recorded.metadata), involvedObject: reversed(recorded.involvedObject), source: reversed(recorded.source) })],
    ['null and undefined members (dropped as decoding drops them)', { ...recorded, eventTime: null, action: undefined, involvedObject: { ...recorded.involvedObject, resourceVersion: null, fieldPath: undefined }, source: { component: 'kubelet', host: null } }],
    ['a Node’s Event without a namespace', { ...recorded, metadata: { name: 'node-1.2' }, involvedObject: { kind: 'Node', name: 'node-1' } }],
    ['a name of 253 characters, times with offsets and fractions', { ...recorded, metadata: { name: `${'a'.repeat(61)}.`.repeat(4) + 'b'.repeat(5), namespace: 'prod' }, firstTimestamp: '2026-12-07T10:00:00+02:00', lastTimestamp: '2026-12-07T10:00:00.5-01:30' }],
    ['the fewest members', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, involvedObject: {} }],
    ['count 0, an action, an eventTime, a type outside Normal/Warning', { ...recorded, count: 0, action: 'Binding', eventTime: '2026-12-07T10:00:00.123456Z', type: 'Other' }],
  ];
  for (const [what, input] of same) {
    it(`${what}: the generic admission's object, key order included`, () => {
      const want = generic(input);
      expect(want).toBeDefined();
      const got = admitEventCreate(input);
      expect(got).toEqual(want);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    });
  }

  const declined: [string, unknown, 'valid' | 'refused'][] = [
    ['a bad lastTimestamp', { ...recorded, lastTimestamp: 'soon' }, 'refused'],
    ['a negative count', { ...recorded, count: -1 }, 'refused'],
    ['a count that is not an integer', { ...recorded, count: 1.5 }, 'refused'],
    ['a count as a string', { ...recorded, count: '1' }, 'refused'],
    ['an involved object in another namespace', { ...recorded, involvedObject: { ...recorded.involvedObject, namespace: 'kube-system' } }, 'refused'],
    ['an invalid name', { ...recorded, metadata: { name: 'Web_0', namespace: 'prod' } }, 'refused'],
    ['no name', { ...recorded, metadata: { namespace: 'prod' } }, 'refused'],
    ['no metadata', { ...recorded, metadata: null }, 'refused'],
    ['no involved object', { ...recorded, involvedObject: undefined }, 'refused'],
    ['a reason that is a number', { ...recorded, reason: 7 }, 'refused'],
    ['an unknown field', { ...recorded, colour: 'red' }, 'refused'],
    ['an unknown field of the involved object', { ...recorded, involvedObject: { ...recorded.involvedObject, colour: 'red' } }, 'refused'],
    ['an unknown field of the source', { ...recorded, source: { component: 'kubelet', colour: 'red' } }, 'refused'],
    ['a source that is a string', { ...recorded, source: 'kubelet' }, 'refused'],
    ['a Date for a time', { ...recorded, lastTimestamp: new Date(at) }, 'refused'],
    ['labels (valid, but not the recorders’ shape)', { ...recorded, metadata: { ...recorded.metadata, labels: { a: 'b' } } }, 'valid'],
    ['a series (valid, not the recorders’ shape)', { ...recorded, series: { count: 2, lastObservedTime: '2026-12-07T10:00:00.000000Z' } }, 'valid'],
    ['a related object (valid, not the recorders’ shape)', { ...recorded, related: { kind: 'Node', name: 'node-1' } }, 'valid'],
    ['events.k8s.io/v1', { ...recorded, apiVersion: 'events.k8s.io/v1' }, 'refused'],
    ['a bad eventTime', { ...recorded, eventTime: '2026-12-07 10:00' }, 'refused'],
    ['a time with hour 24', { ...recorded, firstTimestamp: '2026-12-07T24:00:00Z' }, 'refused'],
    ['a name of 254 characters', { ...recorded, metadata: { name: 'a'.repeat(254), namespace: 'prod' } }, 'refused'],
    ['an invalid namespace', { ...recorded, metadata: { name: 'e', namespace: 'Prod_1' }, involvedObject: { ...recorded.involvedObject, namespace: 'Prod_1' } }, 'refused'],
    ['a Node’s Event outside default', { ...recorded, involvedObject: { kind: 'Node', name: 'node-1' } }, 'refused'],
  ];
  for (const [what, input, generically] of declined) {
    it(`${what}: no answer (the generic admission ${generically === 'valid' ? 'admits it' : 'refuses it'})`, () => {
      expect(admitEventCreate(input)).toBeUndefined();
      if (generically === 'valid') expect(generic(input)).toBeDefined();
      else expect(validateManifest(input, { allowLoopbackIPs: true }).diagnostics.some((d) => d.severity === 'error')).toBe(true);
    });
  }

  it('leaves its input as it was', () => {
    const input = structuredClone({ ...recorded, eventTime: null });
    const before = JSON.stringify(input);
    admitEventCreate(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});
