// The endpoint controllers' index of pods and Service selectors: the same answers as matching
// every pod against every selector, through label changes and deletions.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../../lib/api/model.ts';
import { ServicePodIndex } from '../../../runtime/controllers/service-pods.ts';

const svc = (name: string, selector?: Record<string, string>, namespace = 'default'): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ...(selector ? { selector } : {}) } });
const pod = (name: string, labels: Record<string, string>, namespace = 'default'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'i' }] } });
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name).sort();

describe('ServicePodIndex', () => {
  it('finds the services whose whole selector a pod has, and the pods a selector matches', () => {
    const ix = new ServicePodIndex();
    ix.setService(svc('web', { app: 'web' }));
    ix.setService(svc('web-canary', { app: 'web', track: 'canary' }));
    ix.setService(svc('db', { app: 'db' }));
    ix.setService(svc('external')); // selector-less: never matches
    ix.setService(svc('empty', {})); // an empty map is nil on a real server: selector-less
    ix.setService(svc('other-ns', { app: 'web' }, 'prod'));
    ix.setPod(pod('a', { app: 'web', track: 'canary' }));
    ix.setPod(pod('b', { app: 'web' }));
    ix.setPod(pod('c', { app: 'db', track: 'canary' }));
    ix.setPod(pod('d', { app: 'web' }, 'prod'));

    expect([...ix.servicesFor(pod('a', { app: 'web', track: 'canary' }))].sort()).toEqual(['default/web', 'default/web-canary']);
    expect([...ix.servicesFor(pod('c', { app: 'db', track: 'canary' }))]).toEqual(['default/db']);
    expect([...ix.servicesFor(pod('x', {}))]).toEqual([]);
    expect([...ix.servicesFor(pod('d', { app: 'web' }, 'prod'))]).toEqual(['prod/other-ns']);
    expect(names(ix.podsOf(svc('web'), { app: 'web' }))).toEqual(['a', 'b']);
    expect(names(ix.podsOf(svc('web-canary'), { app: 'web', track: 'canary' }))).toEqual(['a']);
    expect(names(ix.podsOf(svc('none'), { app: 'none' }))).toEqual([]);
  });

  it('follows a pod whose labels change and forgets deleted pods and services', () => {
    const ix = new ServicePodIndex();
    ix.setService(svc('web', { app: 'web' }));
    ix.setService(svc('db', { app: 'db' }));
    ix.setPod(pod('a', { app: 'web' }));
    ix.setPod(pod('a', { app: 'db' }));
    expect(names(ix.podsOf(svc('web'), { app: 'web' }))).toEqual([]);
    expect(names(ix.podsOf(svc('db'), { app: 'db' }))).toEqual(['a']);
    ix.forgetPod(pod('a', { app: 'db' }));
    expect(names(ix.podsOf(svc('db'), { app: 'db' }))).toEqual([]);
    ix.setService(svc('web', { app: 'db' })); // its selector changed
    expect([...ix.servicesFor(pod('b', { app: 'db' }))].sort()).toEqual(['default/db', 'default/web']);
    ix.forgetService(svc('db'));
    expect([...ix.servicesFor(pod('b', { app: 'db' }))]).toEqual(['default/web']);
    expect([...ix.servicesFor(pod('b', { app: 'web' }))]).toEqual([]);
  });
});
