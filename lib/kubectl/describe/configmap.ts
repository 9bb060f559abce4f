/** `describe configmap`: the data in full, binary data as sizes. */
import { compareGoStrings } from '../../api/label-format.ts';
import type { Describer } from './describer.ts';
import { describeEvents, relatedEvents, type EventsRelated } from './events.ts';
import { obj, strMap } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, PrefixWriter } from './prefix-writer.ts';

export const configMapDescriber: Describer<EventsRelated> = {
  kind: 'ConfigMap',
  groups: [''],
  related: relatedEvents('ConfigMap'),
  render(cm, { events }, now) {
    const meta = obj(cm.metadata);
    const w = new PrefixWriter();
    printObjectHeader(w, meta);
    w.write(LEVEL_0, '\nData\n====\n');
    const data = strMap(cm.data);
    for (const k of Object.keys(data).sort(compareGoStrings)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${data[k]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    const binary = strMap(cm.binaryData);
    for (const k of Object.keys(binary).sort(compareGoStrings)) w.write(LEVEL_0, `${k}: ${Buffer.from(binary[k]!, 'base64').length} bytes\n`);
    w.write(LEVEL_0, '\n');
    describeEvents(events, w, now);
    return w.toString();
  },
};
