/** `describe endpointslice`, as kubectl's EndpointSliceDescriber (discovery.k8s.io/v1) prints it. */
import { formatObjectRef } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/model.ts';
import { asKind, type Describer } from './describer.ts';
import { describeEvents, relatedEvents, type EventsRelated } from './events.ts';
import { obj } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter } from './prefix-writer.ts';

/** A field kubectl prints as `<unset>` when the pointer is nil. */
function orUnset(v: unknown): string {
  return typeof v === 'string' ? v : '<unset>';
}

export const endpointSliceDescriber: Describer<EventsRelated> = {
  kind: 'EndpointSlice',
  groups: ['discovery.k8s.io'],
  related: relatedEvents('EndpointSlice'),
  render(o, { events }, now) {
    const eps = asKind<EndpointSlice>(o);
    const meta = obj(eps.metadata);
    const w = new PrefixWriter();
    printObjectHeader(w, meta);
    w.write(LEVEL_0, `AddressType:\t${eps.addressType ?? ''}\n`);
    const ports = eps.ports ?? [];
    if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n');
    else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const p of ports) {
        const port = typeof p.port === 'number' ? String(p.port) : '<unset>';
        w.write(LEVEL_1, `${p.name || '<unset>'}\t${port}\t${p.protocol ?? ''}\n`);
      }
    }
    // a slice without endpoints has `"endpoints": null` on the wire
    const endpoints = eps.endpoints ?? [];
    if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n');
    else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const ep of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${(ep.addresses ?? []).join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        const ready = ep.conditions?.ready;
        w.write(LEVEL_3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`);
        w.write(LEVEL_2, `Hostname:\t${orUnset(ep.hostname)}\n`);
        if (ep.targetRef) w.write(LEVEL_2, `TargetRef:\t${formatObjectRef({ kind: ep.targetRef.kind ?? '', name: ep.targetRef.name ?? '' })}\n`);
        w.write(LEVEL_2, `NodeName:\t${orUnset(ep.nodeName)}\n`);
        w.write(LEVEL_2, `Zone:\t${orUnset(ep.zone)}\n`);
      }
    }
    describeEvents(events, w, now);
    return w.toString();
  },
};
