/** `describe endpoints`, as kubectl's EndpointsDescriber prints it. */
import type { EndpointAddress, Endpoints } from '../../api/model.ts';
import type { Describer } from './describer.ts';
import { describeEvents, relatedEvents, type EventsRelated } from './events.ts';
import { obj } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter } from './prefix-writer.ts';

export const endpointsDescriber: Describer<EventsRelated> = {
  kind: 'Endpoints',
  groups: [''],
  related: relatedEvents('Endpoints'),
  render(o, { events }, now) {
    const ep = o as Endpoints;
    const meta = obj(ep.metadata);
    const w = new PrefixWriter();
    printObjectHeader(w, meta);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const subset of ep.subsets ?? []) {
      const ips = (addresses: readonly EndpointAddress[] | undefined) => (addresses ?? []).map((a) => a.ip).join(',') || '<none>';
      w.write(LEVEL_1, `Addresses:\t${ips(subset.addresses)}\n`);
      w.write(LEVEL_1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
      const ports = subset.ports ?? [];
      if (ports.length > 0) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of ports) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    describeEvents(events, w, now);
    return w.toString();
  },
};
