import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../lib/api/model.ts';
import { convertPodNamedPorts, parsePorts, translateServicePorts } from '../../commands/port-forward-ports.ts';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
} as Pod;
const svc = (ports: NonNullable<Service['spec']>['ports'], clusterIP?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports, ...(clusterIP ? { clusterIP } : {}) } }) as Service;

describe('kubectl port-forward port arguments', () => {
  it.each([
    // [args, service ports, translated] — kubectl's translateServicePortToTargetPort
    [['80'], [{ port: 80, targetPort: 'http' }], ['80:8080']],
    [[':80'], [{ port: 80, targetPort: 'http' }], [':8080']],
    [['7000:80'], [{ port: 80, targetPort: 8080 }], ['7000:8080']],
    [['web'], [{ name: 'web', port: 80, targetPort: 'http' }], ['80:8080']],
    [['7000:web'], [{ name: 'web', port: 80, targetPort: 'metrics' }], ['7000:9090']],
    [['8080'], [{ port: 8080, targetPort: 8080 }], ['8080']],
    [['80'], [{ port: 80 }], ['80']],
  ] as const)('svc %j with %j → %j', (args, ports, want) => {
    expect(translateServicePorts(args, svc(ports as never), pod)).toEqual(want);
  });

  it('takes a headless service port as the container port', () => {
    expect(translateServicePorts(['80'], svc([{ port: 80, targetPort: 'http' }], 'None'), pod)).toEqual(['80']);
  });

  it('words the lookups that fail as kubectl does', () => {
    expect(() => translateServicePorts(['81'], svc([{ port: 80 }]), pod)).toThrow('Service web does not have a service port 81');
    expect(() => translateServicePorts(['web'], svc([{ port: 80 }]), pod)).toThrow("Service 'web' does not have a named port 'web'");
    expect(() => translateServicePorts(['80'], svc([{ port: 80, targetPort: 'grpc' }]), pod)).toThrow("Pod 'web' does not have a named port 'grpc'");
    expect(() => convertPodNamedPorts(['grpc'], pod)).toThrow("Pod 'web' does not have a named port 'grpc'");
  });

  it('turns named pod ports into numbers', () => {
    expect(convertPodNamedPorts(['http', ':metrics', '7000:http', '5000'], pod)).toEqual(['8080', ':9090', '7000:8080', '5000']);
  });

  it('parses [LOCAL:]REMOTE as client-go does', () => {
    expect(parsePorts(['8080', ':80', '7000:80'])).toEqual([
      { local: 8080, remote: 8080 },
      { local: 0, remote: 80 },
      { local: 7000, remote: 80 },
    ]);
    expect(() => parsePorts(['1:2:3'])).toThrow("invalid port format '1:2:3'");
    expect(() => parsePorts(['x:80'])).toThrow(`error parsing local port 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    expect(() => parsePorts(['80:70000'])).toThrow(`error parsing remote port '70000': strconv.ParseUint: parsing "70000": value out of range`);
    expect(() => parsePorts(['80:0'])).toThrow('remote port must be > 0');
  });
});
