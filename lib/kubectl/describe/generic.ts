/** kubectl's generic describer: what `describe` prints for kinds it has no describer for. */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import { goSprint } from '../go-sprint.ts';
import type { Describer } from './describer.ts';
import { describeEvents, relatedEvents, type EventsRelated } from './events.ts';
import { obj } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { LEVEL_0, PrefixWriter } from './prefix-writer.ts';

/** fatih/camelcase.Split: runs of lower / upper / digit / other, `PDFLoader` -> `PDF`, `Loader`. */
export function camelcaseSplit(src: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const r of src) {
    const cls = /\p{Ll}/u.test(r) ? 1 : /\p{Lu}/u.test(r) ? 2 : /\p{Nd}/u.test(r) ? 3 : 4;
    if (cls === last) runs[runs.length - 1]!.push(r);
    else runs.push([r]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (/\p{Lu}/u.test(runs[i]![0]!) && /\p{Ll}/u.test(runs[i + 1]![0]!)) {
      runs[i + 1]!.unshift(runs[i]!.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

const COMMON_ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** smartLabelFor: `holderIdentity` -> `Holder Identity`, `apiVersion` -> `API Version`. */
export function smartLabelFor(field: string): string {
  if ([...field].some((r) => !/\p{L}/u.test(r) && r !== '-')) return field;
  const out: string[] = [];
  for (const part of camelcaseSplit(field)) {
    if (part === '_') continue;
    if (COMMON_ACRONYMS.includes(part.toUpperCase())) out.push(part.toUpperCase());
    else out.push(part.charAt(0).toUpperCase() + part.slice(1));
  }
  return out.join(' ');
}

function printUnstructuredContent(w: PrefixWriter, level: number, content: Obj, skipPrefix: string, skip: readonly string[]): void {
  for (const field of Object.keys(content).sort(compareGoStrings)) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (skip.includes(skipExpr)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Obj, skipExpr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Obj, skipExpr, skip);
        else w.write(level + 1, `${goSprint(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goSprint(value)}\n`);
    }
  }
}

/** kubectl's genericDescriber, for a kind without its own: metadata, then every field with smart labels, then events. */
export function genericDescriber(kind: string): Describer<EventsRelated> {
  return {
    kind,
    // not in the registry: describerFor hands it any group's kind without a describer
    groups: [],
    related: relatedEvents(kind),
    render(o, { events }, now) {
      const w = new PrefixWriter();
      printObjectHeader(w, obj(o.metadata));
      printUnstructuredContent(w, LEVEL_0, o, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
      describeEvents(events, w, now);
      return w.toString();
    },
  };
}
