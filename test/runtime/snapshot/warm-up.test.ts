// The snapshot's warm-up validates one object of each kind the runtime writes at start; an object
// that stopped validating would silently warm nothing for its kind.
import { describe, expect, it } from 'vitest';
import { warmUp } from '../../../runtime/snapshot/warm-up.ts';

describe('runtime snapshot warm-up', () => {
  it('validates every one of its objects', () => {
    const kinds = warmUp().map((o) => o.kind);
    expect(kinds).toEqual(['Namespace', 'Node', 'Lease', 'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'ServiceAccount', 'Secret', 'Event']);
  });
});
