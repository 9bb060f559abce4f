/**
 * The protobuf field table (fields.json), derived from the kubectl binary by
 * scripts/derive-protobuf-fields.ts: for each message reachable from the kinds the API server
 * decodes, its fields.
 */
import fields from './fields.json' with { type: 'json' };

/** A scalar or message type as descriptor.proto names them. */
export type ScalarType =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool' | 'string'
  | 'group' | 'message' | 'bytes' | 'uint32' | 'enum' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64';

export interface TableField {
  readonly number: number;
  /** The proto field name. */
  readonly name: string;
  /** The JSON name (from the Go struct tag); absent for inline fields and custom-JSON messages. */
  readonly json?: string;
  /** `json:",inline"`: the message's fields are the parent's. */
  readonly inline?: boolean;
  readonly omitempty?: boolean;
  /** A Go pointer: sent only when set, and kept in JSON even when zero. */
  readonly pointer?: boolean;
  readonly type: ScalarType | 'map';
  readonly repeated?: boolean;
  readonly packed?: boolean;
  /** The message type (fully qualified, no leading dot). */
  readonly message?: string;
  /** A map: its entries' key and value types (entries are repeated messages {key = 1, value = 2}). */
  readonly map?: { readonly key: ScalarType; readonly value: ScalarType; readonly message?: string };
}

/** A message's fields, in the Go struct's order (the order of its JSON form). */
export type MessageTable = readonly TableField[];

export interface FieldTable {
  /** `apiVersion kind` -> its message. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly messages: Readonly<Record<string, MessageTable>>;
}

export const FIELD_TABLE = fields as FieldTable;
