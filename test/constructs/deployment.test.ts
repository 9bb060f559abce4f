import { describe, expect, it } from 'vitest';
import { App, Deployment, Namespace, Service, Stack } from '../../lib/constructs/index.ts';
import { synthStack } from '../../lib/synth/synth-stack.ts';
import { validateManifests } from '../../lib/synth/validate-manifests.ts';

function synth(stack: Stack) {
  const s = synthStack(stack);
  const v = validateManifests(s.raws);
  return { objects: v.manifests.map((m) => m.object as Record<string, any>), diagnostics: [...s.diagnostics, ...v.diagnostics] };
}

describe('Deployment construct', () => {
  it('is the apps/v1 object as written, validated by the object model, selectable by a Service', () => {
    const stack = new Stack('shop');
    const prod = new Namespace(stack, 'prod');
    const d = new Deployment(prod, 'web', {
      spec: {
        replicas: 2,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
      },
    });
    new Service(prod, 'svc', { metadata: { name: 'web' }, selects: d, ports: [{ port: 80 }] });
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    const obj = objects.find((o) => o.kind === 'Deployment')!;
    expect(obj.apiVersion).toBe('apps/v1');
    expect(obj.metadata).toMatchObject({ name: 'web', namespace: 'prod' });
    expect(obj.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(objects.find((o) => o.kind === 'Service')!.spec.selector).toEqual({ app: 'web' });
  });

  it('reports Kubernetes’ validation of the strategy', () => {
    const stack = new Stack('s');
    new Deployment(stack, 'web', {
      spec: {
        strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
      },
    });
    const { diagnostics } = synth(stack);
    expect(diagnostics.map((d) => d.message).join('\n')).toContain('may not be 0 when `maxSurge` is 0');
  });
});

describe("App({ workload: 'Deployment' })", () => {
  it('makes a Deployment with the App’s selector and template; the default stays a ReplicaSet', () => {
    const stack = new Stack('shop');
    const prod = new Namespace(stack, 'prod');
    new App(prod, 'api', { image: 'img:1', replicas: 3, port: 8080, workload: 'Deployment' });
    new App(prod, 'worker', { image: 'img:1' });
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    const d = objects.find((o) => o.metadata.name === 'api')!;
    expect(d.kind).toBe('Deployment');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop-api' } });
    expect(d.spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(objects.find((o) => o.metadata.name === 'worker')!.kind).toBe('ReplicaSet');
  });

  it('refuses another workload kind', () => {
    const stack = new Stack('s');
    expect(() => new App(stack, 'a', { image: 'x', workload: 'StatefulSet' as 'Deployment' })).toThrow("App a: workload must be 'ReplicaSet' or 'Deployment', not \"StatefulSet\"");
  });
});
