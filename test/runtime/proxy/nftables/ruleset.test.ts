import { describe, expect, it } from 'vitest';
import { renderDelete, renderRuleset } from '../../../../runtime/proxy/nftables/ruleset.ts';
import type { ServicePortEntry } from '../../../../runtime/proxy/service-table.ts';

const entry = (service: string, clusterIP: string, endpoints: ServicePortEntry['endpoints'], extra: Partial<ServicePortEntry> = {}): ServicePortEntry => ({
  key: `default/${service}:/TCP`,
  namespace: 'default',
  service,
  portName: '',
  protocol: 'TCP',
  listeners: [{ address: clusterIP, port: 80, protocol: 'TCP', via: 'ClusterIP' }],
  endpoints,
  ...extra,
});

describe('renderRuleset', () => {
  const rules = renderRuleset(7, [
    entry('a', '127.96.0.5', [
      { ip: '127.200.0.2', port: 8080 },
      { ip: '127.200.0.3', port: 8080 },
    ]),
    entry('none', '127.96.0.6', []),
    entry('sticky', '127.96.0.7', [{ ip: '127.200.0.2', port: 8080 }], { affinitySeconds: 60 }),
  ]);

  it('replaces the whole table of its slot in one transaction', () => {
    expect(rules.split('\n').slice(0, 3)).toEqual(['table ip kite-7', 'delete table ip kite-7', 'table ip kite-7 {']);
    expect(renderDelete(7)).toBe('table ip kite-7\ndelete table ip kite-7\n');
  });

  it('DNATs locally generated traffic with a uniform random choice over the endpoints', () => {
    expect(rules).toContain('type nat hook output priority -100; policy accept;');
    expect(rules).toContain('ip daddr 127.96.0.5 tcp dport 80 goto svc-0');
    expect(rules).toContain('numgen random mod 2 vmap { 0 : goto ep-0-0, 1 : goto ep-0-1 }');
    expect(rules).toContain('meta l4proto tcp dnat to 127.200.0.3:8080');
  });

  it('rejects a Service port without endpoints, worded as kube-proxy', () => {
    expect(rules).toContain('ip daddr 127.96.0.6 tcp dport 80 reject comment "default/none: has no endpoints"');
  });

  it('keeps ClientIP affinity in a dynamic set with the timeout', () => {
    expect(rules).toContain('set affinity-2-0 { type ipv4_addr; flags dynamic,timeout; timeout 60s; }');
    expect(rules).toContain('ip saddr @affinity-2-0 goto ep-2-0');
    expect(rules).toContain('update @affinity-2-0 { ip saddr }');
  });
});
