/** `describe endpoints`, as kubectl's EndpointsDescriber prints it. */
import type { Endpoints } from '../../api/model.ts';
import type { Describer } from './describer.ts';
import { describeEvents, eventsAbout } from './events.ts';
import { arr, int, obj, str } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter } from './prefix-writer.ts';

export const endpointsDescriber: Describer = {
  kind: 'Endpoints',
  groups: [''],
  async describe(o, ctx) {
    const ep = o as Endpoints;
    const meta = obj(ep.metadata);
    const events = await eventsAbout(ctx, 'Endpoints', meta);
    const w = new PrefixWriter();
    printObjectHeader(w, meta);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const subset of arr(ep.subsets)) {
      const ips = (addresses: unknown) => arr(addresses).map((a) => str(a.ip)).join(',') || '<none>';
      w.write(LEVEL_1, `Addresses:\t${ips(subset.addresses)}\n`);
      w.write(LEVEL_1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
      const ports = arr(subset.ports);
      if (ports.length > 0) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of ports) w.write(LEVEL_2, `${str(p.name) || '<unset>'}\t${int(p.port)}\t${str(p.protocol)}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    describeEvents(events, w, ctx.now);
    return w.toString();
  },
};
