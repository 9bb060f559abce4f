// `-o yaml` as kubectl 1.32 prints it (sigs.k8s.io/yaml over go-yaml v2): the expectations are its output.
import { describe, expect, it } from 'vitest';
import { goYaml, yamlKeyLess } from '../../lib/kubectl/yaml.ts';

describe('goYaml (kubectl -o yaml)', () => {
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

  it('prints scalars and empty collections at the top level as go-yaml does', () => {
    expect(goYaml({})).toBe('{}\n');
    expect(goYaml([])).toBe('[]\n');
    expect(goYaml('x')).toBe('x\n');
    expect(goYaml({ a: [1, 2.5, true, null, { b: [] }] })).toBe('a:\n- 1\n- 2.5\n- true\n- null\n- b: []\n');
  });
});
