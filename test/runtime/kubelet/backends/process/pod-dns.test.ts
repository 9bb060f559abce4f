/** A pod's resolv.conf per dnsPolicy and dnsConfig, as the kubelet's GetPodDNS (runtime-semantics.md §17.5). */
import { describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../../../../lib/api/model.ts';
import { formatResolvConf, parseResolvConf, podDnsConfig, type NodeDnsSettings } from '../../../../../runtime/kubelet/backends/process/pod-dns.ts';

const HOST = 'nameserver 10.255.255.53\nnameserver 10.0.0.2\nsearch corp.example lab.example\noptions edns0 timeout:2\n';
const NODE: NodeDnsSettings = { clusterDNS: ['127.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: HOST };

function pod(spec: Partial<PodSpec> = {}, namespace = 'test'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

describe('podDnsConfig', () => {
  it.each<[string, Partial<PodSpec>, string]>([
    ['ClusterFirst (the default)', {}, 'search test.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 127.96.0.10\noptions ndots:5\n'],
    ['ClusterFirst on the host network is Default', { dnsPolicy: 'ClusterFirst', hostNetwork: true }, 'search corp.example lab.example\nnameserver 10.255.255.53\nnameserver 10.0.0.2\noptions edns0 timeout:2\n'],
    ['ClusterFirstWithHostNet', { dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }, 'search test.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 127.96.0.10\noptions ndots:5\n'],
    ['Default', { dnsPolicy: 'Default' }, 'search corp.example lab.example\nnameserver 10.255.255.53\nnameserver 10.0.0.2\noptions edns0 timeout:2\n'],
    ['None with dnsConfig', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] } }, 'search a.example\nnameserver 1.1.1.1\noptions ndots:2 rotate\n'],
    [
      'ClusterFirst with dnsConfig: appended, duplicates removed, options merged by name',
      { dnsConfig: { nameservers: ['127.96.0.10', '9.9.9.9'], searches: ['svc.cluster.local', 'x.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } },
      'search test.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example x.example\nnameserver 127.96.0.10\nnameserver 9.9.9.9\noptions ndots:1 edns0\n',
    ],
  ])('%s', (_what, spec, text) => {
    const { config, warnings } = podDnsConfig(pod(spec), NODE);
    expect(formatResolvConf(config)).toBe(text);
    expect(warnings).toEqual([]);
  });

  it('the search path starts with the pod’s namespace and uses the cluster domain', () => {
    const { config } = podDnsConfig(pod({}, 'prod'), { ...NODE, clusterDomain: 'kite.test', hostResolvConf: '' });
    expect(config.searches).toEqual(['prod.svc.kite.test', 'svc.kite.test', 'kite.test']);
  });

  it('ClusterFirst without cluster DNS falls back to Default with MissingClusterDNS', () => {
    const { config, warnings } = podDnsConfig(pod(), { ...NODE, clusterDNS: [] });
    expect(config.nameservers).toEqual(['10.255.255.53', '10.0.0.2']);
    expect(warnings).toEqual([
      { reason: 'MissingClusterDNS', message: 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.' },
    ]);
  });

  it('more than 3 nameservers are cut, with DNSConfigForming', () => {
    const { config, warnings } = podDnsConfig(pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'] } }), NODE);
    expect(config.nameservers).toEqual(['127.96.0.10', '1.1.1.1', '2.2.2.2']);
    expect(warnings).toEqual([{ reason: 'DNSConfigForming', message: 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 127.96.0.10 1.1.1.1 2.2.2.2' }]);
  });

  it('more than 32 search paths are cut from the end, with DNSConfigForming', () => {
    const searches = Array.from({ length: 40 }, (_, i) => `s${i}.example`);
    const { config, warnings } = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches } }), NODE);
    expect(config.searches).toEqual(searches.slice(0, 32));
    expect(warnings[0]?.reason).toBe('DNSConfigForming');
    expect(warnings[0]?.message).toBe(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.slice(0, 32).join(' ')}`);
  });
});

describe('parseResolvConf', () => {
  it('reads nameservers, the last search line and options; comments ignored', () => {
    expect(parseResolvConf('# generated\nnameserver 1.1.1.1 # main\ndomain a.example\nsearch b.example c.example.\noptions ndots:2\n')).toEqual({
      nameservers: ['1.1.1.1'],
      searches: ['b.example', 'c.example'],
      options: ['ndots:2'],
    });
  });
});
