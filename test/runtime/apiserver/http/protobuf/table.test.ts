import { describe, expect, it } from 'vitest';
import { CUSTOM_JSON_MESSAGES } from '../../../../../runtime/apiserver/http/protobuf/custom.ts';
import { FIELD_TABLE } from '../../../../../runtime/apiserver/http/protobuf/table.ts';
import { KIND_STRATEGIES } from '../../../../../runtime/apiserver/kinds/index.ts';

describe('the protobuf field table', () => {
  it('has every served kind (after adding a kind: npx tsx scripts/derive-protobuf-fields.ts)', () => {
    const served = KIND_STRATEGIES.flatMap((s) => [s.apiVersion, ...(s.aliases ?? [])].map((v) => `${v} ${s.kind}`));
    expect(Object.keys(FIELD_TABLE.kinds)).toEqual(expect.arrayContaining(served));
  });

  it('describes every message a field refers to, or has a custom decoder for it', () => {
    // Custom messages (Time, Quantity, …) are listed with their wire fields, which have no JSON names.
    const fields = Object.entries(FIELD_TABLE.messages).flatMap(([name, m]) => (name in CUSTOM_JSON_MESSAGES ? [] : m));
    for (const f of fields) {
      const ref = f.map?.message ?? f.message;
      if (ref) expect(ref in FIELD_TABLE.messages || ref in CUSTOM_JSON_MESSAGES, ref).toBe(true);
      if (!f.inline && !(ref && ref in CUSTOM_JSON_MESSAGES)) expect(f.json, f.name).toBeTruthy();
    }
  });
});
