/** Cases after k/k pkg/kubelet/envvars/envvars_test.go and kubelet_pods_test.go TestMakeEnvironmentVariables. */
import { describe, expect, it } from 'vitest';
import type { Service } from '../../../../../lib/api/model.ts';
import { serviceEnv } from '../../../../../runtime/kubelet/backends/process/service-env.ts';

function svc(ns: string, name: string, clusterIP: string, ports: { port: number; name?: string; protocol?: 'TCP' | 'UDP' | 'SCTP' }[]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { clusterIP, ports } } as Service;
}

const kubernetes = svc('default', 'kubernetes', '1.2.3.1', [{ port: 8081, protocol: 'TCP' }]);
const foo = svc('test1', 'foo-bar', '1.2.3.4', [{ port: 8083, protocol: 'TCP' }, { port: 8084, name: 'https', protocol: 'UDP' }]);
const headless = svc('test1', 'headless', 'None', [{ port: 80 }]);
const external = { ...svc('test1', 'ext', '', []), spec: { type: 'ExternalName', externalName: 'x.example' } } as Service;
const v6 = svc('test1', 'six', 'fd00::1', [{ port: 443 }]);

describe('serviceEnv', () => {
  it('makes the host, port and Docker link variables of each Service with a ClusterIP', () => {
    const env = serviceEnv(true, { default: [kubernetes], own: [foo, headless, external] });
    expect(env).toEqual({
      KUBERNETES_SERVICE_HOST: '1.2.3.1',
      KUBERNETES_SERVICE_PORT: '8081',
      KUBERNETES_PORT: 'tcp://1.2.3.1:8081',
      KUBERNETES_PORT_8081_TCP: 'tcp://1.2.3.1:8081',
      KUBERNETES_PORT_8081_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_8081_TCP_PORT: '8081',
      KUBERNETES_PORT_8081_TCP_ADDR: '1.2.3.1',
      FOO_BAR_SERVICE_HOST: '1.2.3.4',
      FOO_BAR_SERVICE_PORT: '8083',
      FOO_BAR_SERVICE_PORT_HTTPS: '8084',
      FOO_BAR_PORT: 'tcp://1.2.3.4:8083',
      FOO_BAR_PORT_8083_TCP: 'tcp://1.2.3.4:8083',
      FOO_BAR_PORT_8083_TCP_PROTO: 'tcp',
      FOO_BAR_PORT_8083_TCP_PORT: '8083',
      FOO_BAR_PORT_8083_TCP_ADDR: '1.2.3.4',
      FOO_BAR_PORT_8084_UDP: 'udp://1.2.3.4:8084',
      FOO_BAR_PORT_8084_UDP_PROTO: 'udp',
      FOO_BAR_PORT_8084_UDP_PORT: '8084',
      FOO_BAR_PORT_8084_UDP_ADDR: '1.2.3.4',
    });
  });

  it('keeps only the master Service when enableServiceLinks is false', () => {
    const env = serviceEnv(false, { default: [kubernetes, svc('default', 'other', '1.2.3.9', [{ port: 1 }])], own: [foo] });
    expect(Object.keys(env).filter((k) => k.endsWith('_SERVICE_HOST'))).toEqual(['KUBERNETES_SERVICE_HOST']);
  });

  it("lets a Service of the pod's namespace named kubernetes win over the master Service", () => {
    const env = serviceEnv(true, { default: [kubernetes], own: [svc('test1', 'kubernetes', '1.2.3.3', [{ port: 9 }])] });
    expect(env.KUBERNETES_SERVICE_HOST).toBe('1.2.3.3');
  });

  it('brackets IPv6 addresses in URLs', () => {
    const env = serviceEnv(true, { default: [], own: [v6] });
    expect(env.SIX_PORT).toBe('tcp://[fd00::1]:443');
    expect(env.SIX_PORT_443_TCP_ADDR).toBe('fd00::1');
  });
});
