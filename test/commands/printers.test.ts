// The printers behind `kite get` / `describe`, on real server Tables and objects: the layouts
// are kubectl's (verified against kubectl 1.32 on the same objects; the expectations below are
// its output).
import { describe, expect, it } from 'vitest';
import { toTable } from '../../runtime/apiserver/tables.ts';
import { camelcaseSplit, smartLabelFor } from '../../commands/describe/misc.ts';
import { describeProbe } from '../../commands/describe/pod.ts';
import { describeEvents, PrefixWriter } from '../../commands/describe/common.ts';
import { goSort } from '../../commands/describe/gosort.ts';
import { DESCRIBE_TABWRITER, goJson, goYaml, renderTable, rfc1123z, TABLE_TABWRITER, tabwrite, yamlKeyLess } from '../../commands/printers.ts';

const NOW = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, opts: { node?: string; ip?: string; ready?: boolean; age?: number; ns?: string } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.ns ?? 'default', uid: `uid-${name}`, creationTimestamp: ago(opts.age ?? 4), labels: { name: 'node-js' } },
    spec: { nodeName: opts.node ?? 'kite-node-1', containers: [{ name: 'node-js', image: 'jonbaier/node-express-info:latest' }] },
    status: {
      phase: opts.ready === false ? 'Pending' : 'Running',
      podIP: opts.ip ?? '127.200.1.2',
      podIPs: [{ ip: opts.ip ?? '127.200.1.2' }],
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      containerStatuses: [{ name: 'node-js', ready: opts.ready !== false, restartCount: 0, state: opts.ready === false ? { waiting: { reason: 'ContainerCreating' } } : { running: { startedAt: ago(3) } } }],
    },
  };
}

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads every column to its widest cell plus padding, at least minwidth; the last cell is not padded', () => {
    expect(tabwrite('NAME\tAGE\na\t1s\n', TABLE_TABWRITER)).toBe('NAME   AGE\na      1s\n');
    // minwidth 6: a 2-letter column is still 6 wide
    expect(tabwrite('ID\tX\nab\ty\n', TABLE_TABWRITER)).toBe('ID    X\nab    y\n');
  });

  it('aligns a column only over consecutive lines having it (column blocks), as describe relies on', () => {
    const text = 'Name:\tx\nLabels:\ta=b\n\tc=d\nContainers:\n  web:\n    Image:\tnginx\n';
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe('Name:    x\nLabels:  a=b\n         c=d\nContainers:\n  web:\n    Image:  nginx\n');
    // a shorter line ends the block of the columns it lacks
    expect(tabwrite('a\tb\tc\naa\tb\naaa\tbbbb\tc\n', { minwidth: 0, padding: 1 })).toBe('a   b c\naa  b\naaa bbbb c\n');
  });

  it('counts characters, not bytes, and pads empty cells', () => {
    expect(tabwrite('é\tx\n\ty\n', { minwidth: 0, padding: 2 })).toBe('é  x\n   y\n');
  });
});

describe('renderTable (kubectl get on server-side Tables)', () => {
  const table = toTable('pods', [pod('node-js-kn22v'), pod('node-js-ll4rt', { node: 'kite-node-3', ip: '127.200.3.2' }), pod('node-js-qtstz', { node: 'kite-node-2', ip: '127.200.2.2', ready: false })], { now: NOW });

  it('prints the priority-0 columns uppercased', () => {
    expect(renderTable(table as never)).toBe(
      [
        'NAME            READY   STATUS              RESTARTS   AGE',
        'node-js-kn22v   1/1     Running             0          4s',
        'node-js-ll4rt   1/1     Running             0          4s',
        'node-js-qtstz   0/1     ContainerCreating   0          4s',
        '',
      ].join('\n'),
    );
  });

  it('adds the wide columns with -o wide', () => {
    expect(renderTable(table as never, { wide: true }).split('\n')[0]).toBe('NAME            READY   STATUS              RESTARTS   AGE   IP            NODE          NOMINATED NODE   READINESS GATES');
    expect(renderTable(table as never, { wide: true }).split('\n')[1]).toBe('node-js-kn22v   1/1     Running             0          4s    127.200.1.2   kite-node-1   <none>           <none>');
  });

  it('puts NAMESPACE first with -A and prefixes names with the kind for get all', () => {
    const t = toTable('pods', [pod('web', { ns: 'prod' })], { now: NOW });
    expect(renderTable(t as never, { withNamespace: true, kindPrefix: 'pod' })).toBe('NAMESPACE   NAME      READY   STATUS    RESTARTS   AGE\nprod        pod/web   1/1     Running   0          4s\n');
  });

  it('prints nothing for an empty table (the caller says "No resources found")', () => {
    expect(renderTable(toTable('pods', [], { now: NOW }) as never)).toBe('');
  });

  it('prints services and replication controllers as kubectl does', () => {
    const svc = {
      metadata: { name: 'node-js', namespace: 'default', creationTimestamp: ago(130) },
      spec: { type: 'LoadBalancer', clusterIP: '127.102.154.255', clusterIPs: ['127.102.154.255'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30015 }], selector: { name: 'node-js' } },
      status: { loadBalancer: {} },
    };
    expect(renderTable(toTable('services', [svc], { now: NOW }) as never, { kindPrefix: 'service' })).toBe(
      'NAME              TYPE           CLUSTER-IP        EXTERNAL-IP   PORT(S)        AGE\nservice/node-js   LoadBalancer   127.102.154.255   <pending>     80:30015/TCP   2m10s\n',
    );
    const rc = { metadata: { name: 'node-js', namespace: 'default', creationTimestamp: ago(4) }, spec: { replicas: 3, selector: { name: 'node-js' }, template: { spec: { containers: [{ name: 'node-js', image: 'img' }] } } }, status: { replicas: 3, readyReplicas: 3 } };
    expect(renderTable(toTable('replicationcontrollers', [rc], { now: NOW }) as never, { kindPrefix: 'replicationcontroller' })).toBe(
      'NAME                            DESIRED   CURRENT   READY   AGE\nreplicationcontroller/node-js   3         3         3       4s\n',
    );
  });
});

describe('goYaml / goJson (kubectl -o yaml|json)', () => {
  const event = {
    apiVersion: 'v1',
    kind: 'Event',
    count: 1,
    firstTimestamp: '2026-11-25T20:44:02Z',
    involvedObject: { apiVersion: 'v1', kind: 'Endpoints', name: 'node-js', namespace: 'default', resourceVersion: '24' },
    message:
      'Failed to update endpoint default/node-js: Endpoints "node-js" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.200.1.2": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    metadata: { name: 'node-js.6611fe3164d50', namespace: 'default', resourceVersion: '47', annotations: { 'kite.dev/stopped': 'true', empty: '' } },
    reason: 'FailedToUpdateEndpoint',
    source: { component: 'endpoint-controller' },
    related: [],
    spec: {},
  };

  it('sorts keys, quotes what YAML would misread, folds long strings at 80 columns', () => {
    expect(goYaml({ apiVersion: 'v1', items: [event], kind: 'List', metadata: { resourceVersion: '' } })).toBe(
      [
        'apiVersion: v1',
        'items:',
        '- apiVersion: v1',
        '  count: 1',
        '  firstTimestamp: "2026-11-25T20:44:02Z"',
        '  involvedObject:',
        '    apiVersion: v1',
        '    kind: Endpoints',
        '    name: node-js',
        '    namespace: default',
        '    resourceVersion: "24"',
        '  kind: Event',
        "  message: 'Failed to update endpoint default/node-js: Endpoints \"node-js\" is invalid:",
        '    subsets[0].addresses[0].ip: Invalid value: "127.200.1.2": may not be in the loopback',
        "    range (127.0.0.0/8, ::1/128)'",
        '  metadata:',
        '    annotations:',
        '      empty: ""',
        '      kite.dev/stopped: "true"',
        '    name: node-js.6611fe3164d50',
        '    namespace: default',
        '    resourceVersion: "47"',
        '  reason: FailedToUpdateEndpoint',
        '  related: []',
        '  source:',
        '    component: endpoint-controller',
        '  spec: {}',
        'kind: List',
        'metadata:',
        '  resourceVersion: ""',
        '',
      ].join('\n'),
    );
  });

  it('uses literal blocks for multi-line strings and go-yaml key order', () => {
    expect(goYaml({ data: { 'script.sh': '#!/bin/sh\necho hi\n\nend\n', nl: 'a\nb', item10: 'x', item9: 'y', Item1: 'z', _under: 'u', y: 'y' } })).toBe(
      ['data:', '  _under: u', '  Item1: z', '  item9: "y"', '  item10: x', '  nl: |-', '    a', '    b', '  script.sh: |', '    #!/bin/sh', '    echo hi', '', '    end', '  "y": "y"', ''].join('\n'),
    );
    expect(yamlKeyLess('item9', 'item10')).toBe(true);
    expect(yamlKeyLess('_a', 'A')).toBe(true);
  });

  it('quotes, folds and blocks strings exactly as kubectl 1.32 (go-yaml v2) did for the same ConfigMap', () => {
    const data: Record<string, string> = {"k00": "2024-01-02T03:04:05", "k01": "2024-1-2", "k02": "2024-01-02 03:04:05", "k03": "2024-01-02t03:04:05Z", "k04": "1:20", "k05": "0x1F", "k06": "1_000", "k07": "+1", "k08": ".5", "k09": "1.", "k10": "-.5e3", "k11": "0o17", "k12": "0b101", "k13": "null", "k14": "~", "k15": "Yes", "k16": "NO", "k17": "<<", "k18": "=", "k19": "@x", "k20": "`x", "k21": "x: y", "k22": "x #y", "k23": "x#y", "k24": "-x", "k25": "- x", "k26": "? x", "k27": "?x", "k28": ":x", "k29": "a\tb", "k30": "--- x", "k31": "...", "k32": "é", "k33": "x ", "k34": "  two", "k35": " a\nb", "k36": "a \nb", "k37": "a\n b", "k38": "trailing\n\n", "k39": "\n", "k40": "a\r\nb", "k41": "12e3", "k42": "1e", "k43": "0755", "k44": "089", "k45": "-0", "k46": "0.0.1", "k47": "true1", "k48": "FALSE", "k49": "on", "k50": "Off", "k51": "y", "k52": "n", "k53": "[x]", "k54": "{x}", "k55": "!x", "k56": "&x", "k57": "*x", "k58": "|x", "k59": ">x", "k60": "'x", "k61": "\"x", "k62": "%x", "k63": "x,y", "k64": "x]", "k65": "x{", "k66": "a: ", "k67": "a:", "k68": "a:b", "k69": "#x", "k70": "x #", "k71": "9999999999999999999999", "k72": "-9223372036854775808", "k73": "0x", "k74": "1e+3", "k75": "+.inf", "k76": ".NaN", "k77": "very long value with spaces that will need to be folded because it is longer than eighty columns in total width yes", "k78": "averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces and more", "k79": "key with 'single' quotes and: colon that is long enough to be folded by the emitter at eighty columns"};
    expect(goYaml({ data })).toBe("data:\n  k00: 2024-01-02T03:04:05\n  k01: \"2024-1-2\"\n  k02: \"2024-01-02 03:04:05\"\n  k03: \"2024-01-02t03:04:05Z\"\n  k04: \"1:20\"\n  k05: \"0x1F\"\n  k06: \"1_000\"\n  k07: \"+1\"\n  k08: \".5\"\n  k09: \"1.\"\n  k10: \"-.5e3\"\n  k11: \"0o17\"\n  k12: \"0b101\"\n  k13: \"null\"\n  k14: \"~\"\n  k15: \"Yes\"\n  k16: \"NO\"\n  k17: <<\n  k18: =\n  k19: '@x'\n  k20: '`x'\n  k21: 'x: y'\n  k22: 'x #y'\n  k23: x#y\n  k24: -x\n  k25: '- x'\n  k26: '? x'\n  k27: ?x\n  k28: :x\n  k29: \"a\\tb\"\n  k30: '--- x'\n  k31: '...'\n  k32: é\n  k33: 'x '\n  k34: '  two'\n  k35: |2-\n     a\n    b\n  k36: \"a \\nb\"\n  k37: |-\n    a\n     b\n  k38: |+\n    trailing\n\n  k39: |2+\n\n  k40: \"a\\r\\nb\"\n  k41: \"12e3\"\n  k42: 1e\n  k43: \"0755\"\n  k44: \"089\"\n  k45: \"-0\"\n  k46: 0.0.1\n  k47: true1\n  k48: \"FALSE\"\n  k49: \"on\"\n  k50: \"Off\"\n  k51: \"y\"\n  k52: \"n\"\n  k53: '[x]'\n  k54: '{x}'\n  k55: '!x'\n  k56: '&x'\n  k57: '*x'\n  k58: '|x'\n  k59: '>x'\n  k60: '''x'\n  k61: '\"x'\n  k62: '%x'\n  k63: x,y\n  k64: x]\n  k65: x{\n  k66: 'a: '\n  k67: 'a:'\n  k68: a:b\n  k69: '#x'\n  k70: 'x #'\n  k71: \"9999999999999999999999\"\n  k72: \"-9223372036854775808\"\n  k73: 0x\n  k74: \"1e+3\"\n  k75: \"+.inf\"\n  k76: \".NaN\"\n  k77: very long value with spaces that will need to be folded because it is longer\n    than eighty columns in total width yes\n  k78: averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces\n    and more\n  k79: 'key with ''single'' quotes and: colon that is long enough to be folded by\n    the emitter at eighty columns'\n");
  });

  it('prints JSON as encoding/json MarshalIndent: 4 spaces, sorted keys, HTML-escaped', () => {
    expect(goJson({ b: [1, 'x'], a: { c: '<a&b>' }, e: [], d: {} })).toBe('{\n    "a": {\n        "c": "\\u003ca\\u0026b\\u003e"\n    },\n    "b": [\n        1,\n        "x"\n    ],\n    "d": {},\n    "e": []\n}\n');
  });
});

describe('describe helpers', () => {
  it('formats probes as kubectl', () => {
    expect(describeProbe({ httpGet: { path: '/healthy', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })).toBe(
      'http-get http://:8080/healthy delay=5s timeout=1s period=10s #success=1 #failure=3',
    );
    expect(describeProbe({ tcpSocket: { port: 80 }, initialDelaySeconds: 15, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })).toBe('tcp-socket :80 delay=15s timeout=1s period=10s #success=1 #failure=3');
    expect(describeProbe({ exec: { command: ['/usr/bin/health/checkHttpService.sh'] }, initialDelaySeconds: 90, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })).toBe(
      'exec [/usr/bin/health/checkHttpService.sh] delay=90s timeout=1s period=10s #success=1 #failure=3',
    );
  });

  it('prints the Events table with repeat counts, flushed apart from what precedes it', () => {
    const w = new PrefixWriter();
    w.write(0, 'A very long field name:\tx\n');
    const now = NOW.getTime();
    describeEvents(
      [
        { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to kite-node-1', source: { component: 'default-scheduler' }, firstTimestamp: ago(40), lastTimestamp: ago(40), count: 1 },
        { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', source: { component: 'kubelet' }, firstTimestamp: ago(180), lastTimestamp: ago(10), count: 7, involvedObject: { fieldPath: 'spec.containers{web}' } },
      ],
      w,
      now,
    );
    expect(w.toString()).toBe(
      [
        'A very long field name:  x',
        'Events:',
        '  Type     Reason     Age               From               Message',
        '  ----     ------     ----              ----               -------',
        '  Normal   Scheduled  40s               default-scheduler  Successfully assigned default/web to kite-node-1',
        '  Warning  BackOff    10s (x7 over 3m)  kubelet            spec.containers{web}: Back-off restarting failed container',
        '',
      ].join('\n'),
    );
    const none = new PrefixWriter();
    describeEvents([], none, now);
    expect(none.toString()).toBe('Events:  <none>\n');
  });

  it('orders events as kubectl: Go sort.Sort, stable up to 12, pdqsort beyond', () => {
    // 30 events R00..R29 (server order) with lastTimestamp i % 3; kubectl 1.32 described them in this order
    const events = Array.from({ length: 30 }, (_, i) => ({ reason: `R${String(i).padStart(2, '0')}`, t: i % 3 }));
    const kubectlOrder = 'R12 R27 R24 R03 R21 R18 R06 R00 R15 R09 R07 R04 R10 R13 R28 R01 R16 R25 R22 R19 R08 R20 R05 R23 R02 R17 R26 R11 R14 R29';
    expect(goSort(events, (a, b) => a.t < b.t).map((e) => e.reason).join(' ')).toBe(kubectlOrder);
    const few = events.slice(0, 12);
    expect(goSort(few, (a, b) => a.t < b.t)).toEqual([...few].sort((a, b) => a.t - b.t));
    const nums = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    expect(goSort(nums, (a, b) => a < b)).toEqual([...nums].sort((a, b) => a - b));
  });

  it('labels generic fields as kubectl (smartLabelFor)', () => {
    expect(camelcaseSplit('PDFLoader')).toEqual(['PDF', 'Loader']);
    expect(smartLabelFor('holderIdentity')).toBe('Holder Identity');
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('leaseDurationSeconds')).toBe('Lease Duration Seconds');
    expect(smartLabelFor('kube-node-lease')).toBe('kube-node-lease'.split('-').map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' - '));
    expect(smartLabelFor('x.y')).toBe('x.y');
  });

  it('prints times as RFC 1123 with numeric zone', () => {
    expect(rfc1123z('2026-11-25T20:44:01Z')).toMatch(/^Wed, 25 Nov 2026 \d\d:\d\d:01 [+-]\d{4}$/);
  });
});
