/**
 * What the protobuf descriptors do not say but the JSON form depends on: each Go struct field's
 * JSON name (`json:",inline"` embeds a message), `omitempty`, and whether the field is a pointer
 * (a *int32 replicas of 0 is sent and kept; an int32 of 0 with omitempty is dropped). A Go binary
 * keeps all of this for reflection, and we read it from there.
 *
 * Layouts (Go 1.21+ internal/abi, amd64, from go/src/internal/abi/type.go and
 * runtime/type.go): a name is `flags byte (bit 1: has tag), uvarint len, bytes[, uvarint
 * taglen, tag bytes]`; a Type is 48 bytes with its Kind byte at offset 23 (low 5 bits: 22 Pointer,
 * 25 Struct); a StructType is a Type, then PkgPath (8), then Fields []StructField (data pointer
 * at +56, len at +64, cap at +72); a StructField is {Name *byte, Typ *Type, Offset uintptr}
 * (24 bytes); a Type's name is a nameOff (int32 at +40) from the start of the type data (the
 * read-only segment), with a `*` to drop when tflag (+20) has TFlagExtraStar (2); a named type
 * (tflag TFlagUncommon, 1) is followed by an UncommonType whose first int32 is the nameOff of its
 * package path (for a struct, at +80). The binary is a static, non-PIE ELF (kubectl's), so pointers are plain addresses.
 */

export interface GoField {
  readonly goName: string;
  /** The JSON name; '' for `json:",inline"`. */
  readonly json: string;
  readonly omitempty: boolean;
  readonly pointer: boolean;
  /** From the protobuf tag: the proto field name (absent in a few inline tags) and number. */
  readonly protoName?: string;
  readonly number: number;
}

/** A Go struct type with at least one protobuf-tagged field: its name and those fields. */
export interface GoStruct {
  /** Package path and name: `k8s.io/api/core/v1.Pod`. */
  readonly name: string;
  readonly fields: readonly GoField[];
}

const KIND_POINTER = 22;
const KIND_STRUCT = 25;

interface Segment {
  readonly flags: number;
  readonly vaddr: number;
  readonly offset: number;
  readonly size: number;
}

/** The PT_LOAD segments of an ELF64 little-endian file (ELF header and program header layouts from the ELF spec). */
function loadSegments(b: Buffer): Segment[] {
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  const out: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (b.readUInt32LE(p) !== 1) continue; // PT_LOAD
    out.push({ flags: b.readUInt32LE(p + 4), offset: Number(b.readBigUInt64LE(p + 8)), vaddr: Number(b.readBigUInt64LE(p + 16)), size: Number(b.readBigUInt64LE(p + 32)) });
  }
  return out;
}

/** Every Go struct in the binary that has protobuf-tagged fields. */
export function findGoStructs(b: Buffer): GoStruct[] {
  const segments = loadSegments(b);
  const fileOffset = (addr: number): number | undefined => {
    const s = segments.find((x) => addr >= x.vaddr && addr < x.vaddr + x.size);
    return s ? addr - s.vaddr + s.offset : undefined;
  };
  const word = (off: number): number => {
    const hi = b.readUInt32LE(off + 4);
    return hi === 0 ? b.readUInt32LE(off) : -1;
  };
  // Type data lives in the read-only (PF_R only) segment, and nameOffs count from its start.
  const types = segments.find((s) => s.flags === 4);
  if (!types) throw new Error('no read-only segment: not a Go binary?');
  const names = new Map<number, { name: string; tag: string } | null>();
  const readName = (addr: number, anyText = false) => {
    if (!anyText && names.has(addr)) return names.get(addr)!;
    const off = fileOffset(addr);
    let result: { name: string; tag: string } | null = null;
    if (off !== undefined) {
      const [len, p] = uvarint(b, off + 1);
      const name = b.toString('latin1', p, p + len);
      let tag = '';
      if (b[off]! & 2) {
        const [tlen, tp] = uvarint(b, p + len);
        tag = b.toString('latin1', tp, tp + tlen);
      }
      if (anyText || /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) result = { name, tag };
    }
    if (!anyText) names.set(addr, result);
    return result;
  };

  const structs: GoStruct[] = [];
  {
    const seg = types;
    for (let t = seg.offset; t + 80 <= seg.offset + seg.size && t + 80 <= b.length; t += 8) {
      if ((b[t + 23]! & 0x1f) !== KIND_STRUCT) continue;
      const fieldsAddr = word(t + 56);
      const len = word(t + 64);
      if (len <= 0 || len > 256 || word(t + 72) !== len) continue;
      const fieldsOff = fieldsAddr > 0 ? fileOffset(fieldsAddr) : undefined;
      if (fieldsOff === undefined || fieldsOff + len * 24 > b.length) continue;
      const fields: GoField[] = [];
      let valid = true;
      for (let i = 0; i < len && valid; i++) {
        const f = fieldsOff + i * 24;
        const nameAddr = word(f);
        const typeOff = word(f + 8) > 0 ? fileOffset(word(f + 8)) : undefined;
        const name = nameAddr > 0 ? readName(nameAddr) : null;
        if (!name || typeOff === undefined) {
          valid = false;
          break;
        }
        const field = goField(name.name, name.tag, (b[typeOff + 23]! & 0x1f) === KIND_POINTER);
        if (field) fields.push(field);
      }
      if (!valid || fields.length === 0) continue;
      const tflag = b[t + 20]!;
      if (!(tflag & 1)) continue; // unnamed
      const typeName = readName(types.vaddr + b.readInt32LE(t + 40), true)?.name;
      const pkgPath = readName(types.vaddr + b.readInt32LE(t + 80), true)?.name;
      if (!typeName || !pkgPath) continue;
      const bare = (tflag & 2 ? typeName.slice(1) : typeName).replace(/^[^.]*\./, '');
      structs.push({ name: `${pkgPath}.${bare}`, fields });
    }
  }
  return structs;
}

/** A field's tags parsed: `json:"name,omitempty" protobuf:"bytes,2,opt,name=generateName"`. */
function goField(goName: string, tag: string, pointer: boolean): GoField | undefined {
  const proto = /(?:^| )protobuf:"([^"]*)"/.exec(tag)?.[1];
  if (!proto) return undefined;
  const parts = proto.split(',');
  const number = Number(parts[1]);
  if (!Number.isInteger(number)) return undefined;
  const protoName = parts.find((p) => p.startsWith('name='))?.slice(5);
  const json = (/(?:^| )json:"([^"]*)"/.exec(tag)?.[1] ?? '').split(',');
  return { goName, json: json[0]!, omitempty: json.includes('omitempty'), pointer, number, ...(protoName ? { protoName } : {}) };
}

function uvarint(b: Buffer, p: number): [number, number] {
  let v = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    const x = b[p++]!;
    v |= (x & 0x7f) << shift;
    if (x < 0x80) break;
  }
  return [v, p];
}
