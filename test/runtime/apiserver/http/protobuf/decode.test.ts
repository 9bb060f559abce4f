import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError, decodeEnvelope, decodeProtobufObject } from '../../../../../runtime/apiserver/http/protobuf/decode.ts';
import type { FieldTable } from '../../../../../runtime/apiserver/http/protobuf/table.ts';
import { envelope, ld, num, varint } from './wire.ts';

// Bodies kubectl 1.32 sent to a capturing server (test/scripts/derive-protobuf-fields.test.ts
// captures them afresh): `kubectl auth can-i create pods` and `kubectl drain n1
// --disable-eviction --grace-period=7`.
const CAN_I_CREATE_PODS = Buffer.from(
  '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c7412066372656174651a0022002a04706f647332003a001a08080012001a0020001a002200',
  'hex',
);
const DRAIN_DELETE_OPTIONS = Buffer.from('6b3873000a130a027631120d44656c6574654f7074696f6e73120208071a002200', 'hex');

describe('decoding kubectl\'s protobuf bodies', () => {
  it('a SelfSubjectAccessReview (auth can-i)', () => {
    expect(decodeProtobufObject(CAN_I_CREATE_PODS)).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
      status: { allowed: false },
    });
  });

  it('DeleteOptions sent in the core group version (registered in every group)', () => {
    expect(decodeEnvelope(DRAIN_DELETE_OPTIONS)).toMatchObject({ apiVersion: 'v1', kind: 'DeleteOptions' });
    expect(decodeProtobufObject(DRAIN_DELETE_OPTIONS)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 7 });
  });

  it('an Eviction: a pointer zero (gracePeriodSeconds 0) is kept', () => {
    // policy/v1 Eviction: metadata = 1, deleteOptions = 2; ObjectMeta name = 1, namespace = 3; DeleteOptions gracePeriodSeconds = 1.
    const body = envelope('policy/v1', 'Eviction', [...ld(1, ld(1, 'web-0'), ld(3, 'default')), ...ld(2, num(1, 0))]);
    expect(decodeProtobufObject(body)).toEqual({
      kind: 'Eviction',
      apiVersion: 'policy/v1',
      metadata: { name: 'web-0', namespace: 'default', creationTimestamp: null },
      deleteOptions: { gracePeriodSeconds: 0 },
    });
  });

  it('times, micro-times, negative int32s, quantities in maps', () => {
    // Lease: metadata 1, spec 2; LeaseSpec: holderIdentity 1, leaseDurationSeconds 2, acquireTime 3, renewTime 4; Time/MicroTime: seconds 1, nanos 2.
    const lease = envelope('coordination.k8s.io/v1', 'Lease', [
      ...ld(1, ld(1, 'node-a'), ld(8, num(1, 1_700_000_000))),
      ...ld(2, ld(1, 'node-a'), num(2, -5), ld(3, num(1, 1_700_000_000), num(2, 123_456_789)), ld(4)),
    ]);
    expect(decodeProtobufObject(lease)).toEqual({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'node-a', creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: { holderIdentity: 'node-a', leaseDurationSeconds: -5, acquireTime: '2023-11-14T22:13:20.123456Z', renewTime: null },
    });
    // Node: status 3; NodeStatus capacity 1, a map<string, Quantity{string = 1}>.
    const entry = (k: string, q: string) => ld(1, ld(1, k), ld(2, ld(1, q)));
    const node = decodeProtobufObject(envelope('v1', 'Node', [...ld(1, ld(1, 'n')), ...ld(3, entry('cpu', '2'), entry('memory', '4Gi'))]));
    expect(node.status).toMatchObject({ capacity: { cpu: '2', memory: '4Gi' } });
    expect(node.spec).toEqual({});
  });

  it('inline fields merge into their parent; IntOrString as a number or a name', () => {
    // PodSpec: volumes 1, containers 2; Volume: name 1, volumeSource 2 (inline); VolumeSource emptyDir 2;
    // Container: name 1, livenessProbe 10; Probe: handler 1 (inline); ProbeHandler httpGet 2; HTTPGetAction port 2;
    // IntOrString: type 1, intVal 2, strVal 3.
    const probe = (port: number[]) => ld(10, ld(1, ld(2, ld(2, port))), num(2, 0));
    const spec = [...ld(1, ld(1, 'scratch'), ld(2, ld(2, ld(1, 'Memory')))), ...ld(2, ld(1, 'a'), probe([...num(1, 0), ...num(2, 8080)])), ...ld(2, ld(1, 'b'), probe([...num(1, 1), ...ld(3, 'http')]))];
    const pod = decodeProtobufObject(envelope('v1', 'Pod', [...ld(1, ld(1, 'p')), ...ld(2, spec)])) as { spec: { volumes: unknown[]; containers: Array<Record<string, unknown>> } };
    expect(pod.spec.volumes).toEqual([{ name: 'scratch', emptyDir: { medium: 'Memory' } }]);
    expect(pod.spec.containers.map((c) => c.livenessProbe)).toEqual([{ httpGet: { port: 8080 } }, { httpGet: { port: 'http' } }]);
    expect(pod.spec.containers[0]).toEqual({ name: 'a', livenessProbe: { httpGet: { port: 8080 } }, resources: {} });
  });

  it('Secret data: bytes become base64, an empty value too', () => {
    const entry = (k: string, v: number[]) => ld(2, ld(1, k), ld(2, v));
    const secret = decodeProtobufObject(envelope('v1', 'Secret', [...ld(1, ld(1, 's')), ...entry('bin', [0xff, 0x00, 0x01]), ...entry('empty', []), ...ld(3, 'Opaque')]));
    expect(secret).toMatchObject({ data: { bin: '/wAB', empty: '' }, type: 'Opaque' });
  });
});

// A table of our own for the rules no served kind exercises alone.
const TEST_TABLE: FieldTable = {
  kinds: { 'test/v1 Sample': 'test.Sample' },
  messages: {
    'test.Sample': [
      { number: 1, name: 'ratio', json: 'ratio', omitempty: true, type: 'double' },
      { number: 2, name: 'ids', json: 'ids', type: 'int64', repeated: true },
      { number: 3, name: 'flag', json: 'flag', omitempty: true, type: 'bool' },
      { number: 4, name: 'maybe', json: 'maybe', omitempty: true, pointer: true, type: 'bool' },
      { number: 5, name: 'names', json: 'names', type: 'string', repeated: true },
      { number: 6, name: 'child', json: 'child', type: 'message', message: 'test.Child' },
      { number: 7, name: 'object', json: 'object', omitempty: true, pointer: true, type: 'message', message: 'k8s.io.apimachinery.pkg.runtime.RawExtension' },
      { number: 8, name: 'count', json: 'count', type: 'int32' },
    ],
    'test.Child': [{ number: 1, name: 'label', json: 'label', omitempty: true, type: 'string' }],
  },
};
const sample = (...fields: number[][]) => decodeProtobufObject(envelope('test/v1', 'Sample', fields.flat()), TEST_TABLE);

describe('the JSON form of a message', () => {
  it('absent fields: omitempty drops them, lists without omitempty are null, structs are {}, scalars their zero', () => {
    expect(sample()).toEqual({ kind: 'Sample', apiVersion: 'test/v1', ids: null, names: null, child: {}, count: 0 });
  });

  it('zero values: dropped under omitempty unless the field is a pointer', () => {
    expect(sample(num(3, 0), num(4, 0), [0x09, 0, 0, 0, 0, 0, 0, 0, 0])).toMatchObject({ maybe: false });
    expect(sample(num(3, 0))).not.toHaveProperty('flag');
    expect(sample(num(3, 1), [0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f])).toMatchObject({ flag: true, ratio: 1.5 });
  });

  it('repeated numbers packed or not, negatives included; repeated strings', () => {
    expect(sample(ld(2, varint(1), varint(-2)), num(2, 3), ld(5, 'a'), ld(5, '')).ids).toEqual([1, -2, 3]);
    expect(sample(ld(5, 'a'), ld(5, '')).names).toEqual(['a', '']);
  });

  it('embedded objects: JSON, or a protobuf envelope of their own', () => {
    expect(sample(ld(7, ld(1, '{"a":[1]}'))).object).toEqual({ a: [1] });
    expect(sample(ld(7, ld(1, [...envelope('test/v1', 'Sample', num(8, -1))]))).object).toMatchObject({ kind: 'Sample', count: -1 });
  });

  it('unknown fields are skipped; the last value of a repeated scalar field wins', () => {
    expect(sample(num(99, 1), ld(98, 'x'), num(8, 1), num(8, 2))).toMatchObject({ count: 2 });
  });
});

describe('bodies that are not protobuf objects', () => {
  const fails = (body: Buffer | number[], table?: FieldTable) => {
    try {
      decodeProtobufObject(Buffer.from(body), table);
    } catch (e) {
      expect(e).toBeInstanceOf(ProtobufDecodeError);
      return e as ProtobufDecodeError;
    }
    throw new Error('decoded');
  };

  it('says what Go\'s protobuf serializer says', () => {
    expect(fails([]).message).toBe('empty data');
    expect(fails(Buffer.from('{"kind":"Pod"}')).message).toBe('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    expect(fails([0x6b, 0x38, 0x73, 0x00]).message).toBe('empty body');
    expect(fails([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x09]).message).toBe('unexpected EOF');
    expect(fails(envelope('v1', '', [])).message).toBe(`Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`);
    expect(fails(envelope('apps/v1', 'StatefulSet', [])).message).toBe('no kind "StatefulSet" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  });

  it('a field of the wrong wire type, or a truncated message, names the envelope\'s kind', () => {
    const wrong = fails(envelope('test/v1', 'Sample', ld(8, 'x')), TEST_TABLE);
    expect(wrong.message).toBe('proto: wrong wireType = 2 for field count');
    expect(wrong.envelope).toEqual({ apiVersion: 'test/v1', kind: 'Sample' });
    expect(fails(envelope('v1', 'Namespace', [0x0a, 0x05, 0x0a])).message).toBe('unexpected EOF');
  });
});
