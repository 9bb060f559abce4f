/**
 * Kubernetes' own strategic-merge-patch test corpus (apimachinery patch_test.go), replayed
 * against our engine with a schema equivalent to the test type MergeItem.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch, PatchError, type FieldSchema, type TypeSchema } from '../../../../runtime/apiserver/patch/index.ts';

const mergeItemFields: Record<string, FieldSchema> = {};
const MergeItem: TypeSchema = { name: 'MergeItem', fields: mergeItemFields };
const RetainKeysMergeItem: TypeSchema = {
  name: 'RetainKeysMergeItem',
  fields: {
    simpleMap: {},
    mergingIntList: { list: 'set' },
    mergingList: { list: 'merge', mergeKey: 'name', type: MergeItem },
    nonMergingList: { type: MergeItem },
  },
};
Object.assign(mergeItemFields, {
  mergingList: { list: 'merge', mergeKey: 'name', type: MergeItem },
  nonMergingList: { type: MergeItem },
  mergingIntList: { list: 'set' },
  nonMergingIntList: {},
  mergeItemPtr: { list: 'merge', mergeKey: 'name', type: MergeItem },
  simpleMap: {},
  replacingItem: { replace: true },
  retainKeysMap: { retainKeys: true, type: RetainKeysMergeItem },
  retainKeysMergingList: { list: 'merge', mergeKey: 'name', retainKeys: true, type: MergeItem },
} satisfies Record<string, FieldSchema>);

interface Case {
  description: string;
  original?: Record<string, unknown>;
  twoWay?: Record<string, unknown>;
  modified?: Record<string, unknown>;
  twoWayResult?: Record<string, unknown>;
  current?: Record<string, unknown>;
  threeWay?: Record<string, unknown>;
  result?: Record<string, unknown>;
  expectedError?: string;
}

const corpus = parse(readFileSync(new URL('./smp-upstream-cases.yaml', import.meta.url), 'utf8')) as Record<string, Case[]>;

/** upstream sortMergeListsByName: merge lists sorted by merge key, int sets sorted+deduped. */
function sortMergeLists(v: unknown, type: TypeSchema | undefined): unknown {
  if (Array.isArray(v) || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    const f = type?.fields[k];
    if (Array.isArray(val) && f?.list === 'merge') {
      out[k] = val
        .map((x) => sortMergeLists(x, f.type))
        .sort((a, b) => String((a as Record<string, unknown>).name).localeCompare(String((b as Record<string, unknown>).name)));
    } else if (Array.isArray(val) && f?.list === 'set') {
      out[k] = [...new Set(val)].sort((a, b) => String(a).localeCompare(String(b)));
    } else {
      out[k] = sortMergeLists(val, f?.type);
    }
  }
  return out;
}

function runCases(section: string, sorted: boolean): void {
  const cases = corpus[section]!;
  describe(section, () => {
    for (const c of cases) {
      if (c.twoWay !== undefined) {
        it(`${c.description} (two-way)`, () => {
          const original = c.original ?? {};
          const apply = (): unknown => applyStrategicMergePatch(original, c.twoWay, MergeItem);
          if (c.expectedError) {
            expect(apply).toThrow(PatchError);
            expect(apply).toThrow(c.expectedError);
            return;
          }
          const snapshot = JSON.stringify([original, c.twoWay]);
          const got = apply();
          const want = c.twoWayResult ?? c.modified;
          if (sorted) expect(sortMergeLists(got, MergeItem)).toEqual(sortMergeLists(want, MergeItem));
          else expect(got).toEqual(want);
          expect(JSON.stringify([original, c.twoWay])).toBe(snapshot);
        });
      }
      if (c.threeWay !== undefined && c.result !== undefined) {
        it(`${c.description} (three-way)`, () => {
          const got = applyStrategicMergePatch(c.current ?? {}, c.threeWay, MergeItem);
          if (sorted) expect(sortMergeLists(got, MergeItem)).toEqual(sortMergeLists(c.result, MergeItem));
          else expect(got).toEqual(c.result);
        });
      }
    }
  });
}

describe('strategic merge patch: upstream corpus', () => {
  runCases('custom', true);
  runCases('customRaw', false);
  runCases('create', true);
  runCases('raw', false);
  runCases('unknownField', false);
});
