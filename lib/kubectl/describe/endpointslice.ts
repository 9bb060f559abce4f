/** `describe endpointslice`, as kubectl's EndpointSliceDescriber (discovery.k8s.io/v1) prints it. */
import { formatObjectRef } from '../../api/meta.ts';
import type { Describer } from './describer.ts';
import { describeEvents, eventsAbout } from './events.ts';
import { arr, int, obj, str, strs } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter } from './prefix-writer.ts';

/** A field kubectl prints as `<unset>` when the pointer is nil. */
function orUnset(v: unknown): string {
  return typeof v === 'string' ? v : '<unset>';
}

export const endpointSliceDescriber: Describer = {
  kind: 'EndpointSlice',
  groups: ['discovery.k8s.io'],
  async describe(eps, ctx) {
    const meta = obj(eps.metadata);
    const events = await eventsAbout(ctx, 'EndpointSlice', meta);
    const w = new PrefixWriter();
    printObjectHeader(w, meta);
    w.write(LEVEL_0, `AddressType:\t${str(eps.addressType)}\n`);
    const ports = arr(eps.ports);
    if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n');
    else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const p of ports) {
        const port = typeof p.port === 'number' ? String(int(p.port)) : '<unset>';
        w.write(LEVEL_1, `${str(p.name) || '<unset>'}\t${port}\t${str(p.protocol)}\n`);
      }
    }
    const endpoints = arr(eps.endpoints);
    if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n');
    else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const ep of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${strs(ep.addresses).join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        const ready = obj(ep.conditions).ready;
        w.write(LEVEL_3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`);
        w.write(LEVEL_2, `Hostname:\t${orUnset(ep.hostname)}\n`);
        if (ep.targetRef) w.write(LEVEL_2, `TargetRef:\t${formatObjectRef({ kind: str(obj(ep.targetRef).kind), name: str(obj(ep.targetRef).name) })}\n`);
        w.write(LEVEL_2, `NodeName:\t${orUnset(ep.nodeName)}\n`);
        w.write(LEVEL_2, `Zone:\t${orUnset(ep.zone)}\n`);
      }
    }
    describeEvents(events, w, ctx.now);
    return w.toString();
  },
};
