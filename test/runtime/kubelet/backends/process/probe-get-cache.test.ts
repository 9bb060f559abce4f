/**
 * An httpGet probe's URL and headers, built once per probe and target: the same objects at every
 * tick, new ones when the pod IP or port differ, and frozen, so the request bytes built from them
 * may be kept; a hook's headers (not frozen) are never served stale request bytes.
 */
import { describe, expect, it } from 'vitest';
import { probeGet } from '../../../../../runtime/kubelet/backends/process/probe-get-cache.ts';
import { probeHeaders, probeURL } from '../../../../../runtime/kubelet/backends/process/action-http.ts';
import { requestBytes, cachedRequestBytes } from '../../../../../runtime/kubelet/backends/process/http-get-plain.ts';
import type { HTTPGetAction } from '../../../../../lib/api/kinds/probe.ts';

const action: HTTPGetAction = { path: '/healthz', port: 8080, httpHeaders: [{ name: 'x-probe', value: 'yes' }] };

describe('probeGet', () => {
  it('builds what probeURL and probeHeaders build, once per probe and target', () => {
    const a = probeGet(action, '127.244.0.5', 8080, 'kube-probe/1.32');
    expect(a.url.href).toBe(probeURL(action, '127.244.0.5', 8080).href);
    expect(a.headers).toEqual(probeHeaders(action, 'kube-probe/1.32'));
    expect(probeGet(action, '127.244.0.5', 8080, 'kube-probe/1.32')).toBe(a);
    const moved = probeGet(action, '127.244.0.6', 8080, 'kube-probe/1.32');
    expect(moved).not.toBe(a);
    expect(moved.url.host).toBe('127.244.0.6:8080');
    expect(Object.isFrozen(a.headers) && Object.values(a.headers).every(Object.isFrozen)).toBe(true);
  });
});

describe('cachedRequestBytes', () => {
  it('keeps the bytes of frozen headers, for the same target and authority only', () => {
    const { headers } = probeGet(action, '127.244.0.5', 8080, 'kube-probe/1.32');
    const first = cachedRequestBytes({ target: '/healthz', authority: '127.244.0.5:8080', headers });
    expect(cachedRequestBytes({ target: '/healthz', authority: '127.244.0.5:8080', headers })).toBe(first);
    const other = cachedRequestBytes({ target: '/next', authority: '127.244.0.5:8080', headers });
    expect(other).toEqual(requestBytes({ target: '/next', authority: '127.244.0.5:8080', headers }));
  });

  it('builds the bytes anew for headers that may change (a hook dropping Authorization)', () => {
    const headers: Record<string, string[]> = { Authorization: ['Bearer t'], 'User-Agent': ['kube-lifecycle/1.32'] };
    const r = { target: '/hook', authority: '127.244.0.5:80', headers };
    expect(String(cachedRequestBytes(r))).toContain('Authorization: Bearer t');
    delete headers.Authorization;
    expect(String(cachedRequestBytes(r))).not.toContain('Authorization');
  });
});
