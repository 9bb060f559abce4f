import { describe, expect, it } from 'vitest';
import { describeProbe } from '../../../lib/kubectl/describe/probe.ts';

describe('describeProbe', () => {
  it('formats probes as kubectl', () => {
    expect(describeProbe({ httpGet: { path: '/healthy', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })).toBe(
      'http-get http://:8080/healthy delay=5s timeout=1s period=10s #success=1 #failure=3',
    );
    expect(describeProbe({ tcpSocket: { port: 80 }, initialDelaySeconds: 15, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })).toBe('tcp-socket :80 delay=15s timeout=1s period=10s #success=1 #failure=3');
    expect(describeProbe({ exec: { command: ['/usr/bin/health/checkHttpService.sh'] }, initialDelaySeconds: 90, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })).toBe(
      'exec [/usr/bin/health/checkHttpService.sh] delay=90s timeout=1s period=10s #success=1 #failure=3',
    );
  });
});
