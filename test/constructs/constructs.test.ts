import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { App, ExternalDb, Namespace, Service, Stack, ReplicaSet, ApiObject, Pod } from '../../lib/constructs/index.ts';
import { synthStack } from '../../lib/synth/synth-stack.ts';
import { validateManifests } from '../../lib/synth/validate-manifests.ts';

function synth(stack: Stack) {
  const s = synthStack(stack);
  const v = validateManifests(s.raws);
  return { objects: v.manifests.map((m) => m.object as Record<string, any>), diagnostics: [...s.diagnostics, ...v.diagnostics] };
}

describe('App', () => {
  it('is a ReplicaSet with recommended labels, its own selector, a named port, probes and requests', () => {
    const stack = new Stack('shop');
    const prod = new Namespace(stack, 'prod');
    new App(prod, 'api', {
      image: 'img:1', replicas: 3, port: 8080, health: '/status/',
      resources: { cpu: '250m', memory: '128Mi' }, env: { A: 'b', POD: { valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } } },
    });
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    const rs = objects.find((o) => o.kind === 'ReplicaSet')!;
    const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop-api' };
    expect(rs.apiVersion).toBe('apps/v1');
    expect(rs.metadata).toEqual({ name: 'api', namespace: 'prod', labels: { ...selector, 'app.kubernetes.io/managed-by': 'kite' } });
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector).toEqual({ matchLabels: selector });
    expect(rs.spec.template.metadata.labels).toEqual({ ...selector, 'app.kubernetes.io/managed-by': 'kite' });
    const c = rs.spec.template.spec.containers[0];
    expect(c.name).toBe('api');
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/status/', port: 'http' } });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/status/', port: 'http' } });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' } });
    expect(c.env).toEqual([{ name: 'A', value: 'b' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
  });

  it('expose() returns a Service that selects the App\'s pods and targets its named port', () => {
    const stack = new Stack('shop');
    const app = new App(new Namespace(stack, 'prod'), 'api', { image: 'img:1', port: 8080 });
    const svc = app.expose({ port: 80, type: 'LoadBalancer' });
    expect(svc.dnsName).toBe('api.prod.svc.cluster.local');
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    const s = objects.find((o) => o.kind === 'Service')!;
    expect(s.metadata.name).toBe('api');
    expect(s.spec).toEqual({
      type: 'LoadBalancer',
      selector: app.podSelector,
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    } satisfies Record<string, unknown>);
  });

  it('reports a missing port for expose() and health as construct errors', () => {
    const stack = new Stack('s');
    const app = new App(stack, 'a', { image: 'x' });
    expect(() => app.expose()).toThrow(/needs a port/);
    new App(stack, 'b', { image: 'x', health: '/h' });
    const { diagnostics } = synth(stack);
    expect(diagnostics).toMatchObject([{ code: 'construct', construct: 's/b', message: expect.stringMatching(/health needs a port/) }]);
  });

  it('defaults replicas to 1 and keeps user labels without touching the selector', () => {
    const stack = new Stack('s');
    const app = new App(stack, 'a', { image: 'x', labels: { team: 'web' } });
    const rs = synth(stack).objects[0]!;
    expect(rs.spec.replicas).toBe(1);
    expect(rs.metadata.labels.team).toBe('web');
    expect(rs.spec.template.metadata.labels.team).toBe('web');
    expect(rs.spec.selector.matchLabels).toEqual(app.podSelector);
    expect(rs.metadata.namespace).toBeUndefined();
  });

  it('selects its pods by the labels of `selector` instead of kite\'s own, which it then does not add', () => {
    const stack = new Stack('s');
    const app = new App(stack, 'web', { image: 'x', port: 80, selector: { app: 'web' }, labels: { tier: 'front' } });
    app.expose();
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    const rs = objects.find((o) => o.kind === 'ReplicaSet')!;
    expect(rs.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(rs.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    const svc = objects.find((o) => o.kind === 'Service')!;
    expect(svc.metadata.labels).toEqual({ app: 'web' });
    expect(svc.spec.selector).toEqual({ app: 'web' });
  });
});

describe('ExternalDb', () => {
  it('with a host is an ExternalName Service', () => {
    const stack = new Stack('s');
    const db = new ExternalDb(new Namespace(stack, 'prod'), 'my-database', { host: 'database.company.com' });
    expect(db.dnsName).toBe('my-database.prod.svc.cluster.local');
    const svc = synth(stack).objects.find((o) => o.kind === 'Service')!;
    expect(svc.metadata.name).toBe('my-database');
    expect(svc.spec).toEqual({ type: 'ExternalName', externalName: 'database.company.com' });
  });

  it('with addresses is a selector-less Service plus Endpoints of the same name', () => {
    const stack = new Stack('s');
    new ExternalDb(stack, 'pg', { addresses: ['10.0.0.1', '10.0.0.2'], port: 5432 });
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/pg', 'Endpoints/pg']);
    expect(objects[0]!.spec).toEqual({ ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(objects[1]!.subsets).toEqual([
      { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  it('with a bad address is an error naming the field', () => {
    const stack = new Stack('s');
    new ExternalDb(stack, 'pg', { addresses: ['10.0.0.999'], port: 5432 });
    const { diagnostics } = synth(stack);
    expect(diagnostics.map((d) => `${d.object}: ${d.path}`)).toContain('Endpoints/pg: subsets[0].addresses[0].ip');
  });
});

describe('stacks and scopes', () => {
  it('puts children of a Namespace (at any depth) in it; Namespace.existing emits no Namespace', () => {
    const stack = new Stack('s', { labels: { team: 'a' } });
    class WebService extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        new App(this, id, { image: 'x', port: 80 }).expose();
      }
    }
    new WebService(new Namespace(stack, 'prod'), 'web');
    new Service(Namespace.existing(stack, 'other'), 'db', { ports: [{ port: 5432 }] });
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toEqual([]);
    expect(objects.map((o) => `${o.metadata.namespace ?? ''}/${o.kind}/${o.metadata.name}`)).toEqual([
      '/Namespace/prod', 'other/Service/db', 'prod/Service/web', 'prod/ReplicaSet/web',
    ]);
    for (const o of objects) expect(o.metadata.labels.team).toBe('a');
  });

  it('orders documents deterministically whatever the construct order', () => {
    const build = (order: string[]) => {
      const stack = new Stack('s');
      for (const n of order) new Service(stack, n, { ports: [{ port: 80 }] });
      new Namespace(stack, 'zz');
      return JSON.stringify(synth(stack).objects);
    };
    expect(build(['b', 'a', 'c'])).toBe(build(['c', 'b', 'a']));
  });

  it('rejects two constructs that write the same object', () => {
    const stack = new Stack('s');
    new Service(stack, 'a', { ports: [{ port: 80 }] });
    new Service(stack, 'b', { metadata: { name: 'a' }, ports: [{ port: 80 }] });
    const { diagnostics } = synth(stack);
    expect(diagnostics).toMatchObject([{ code: 'duplicate-object', object: 'Service/a', construct: 's/b' }]);
  });

  it('collects construct validations and passes other kinds through', () => {
    const stack = new Stack('s');
    const rs = new ReplicaSet(stack, 'r', {
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    rs.node.addValidation({ validate: () => ['team policy: replicas must be set'] });
    new ApiObject(stack, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
    new Pod(stack, 'p', { spec: { containers: [{ name: 'c', image: 'i' }] } });
    const { objects, diagnostics } = synth(stack);
    expect(diagnostics).toMatchObject([{ code: 'construct', construct: 's/r', message: 'team policy: replicas must be set' }]);
    expect(objects.find((o) => o.kind === 'ConfigMap')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { k: 'v' } });
  });
});

describe('props are checked strictly at synth', () => {
  it('an unknown prop is an error with the construct path and a suggestion when one is close', () => {
    const stack = new Stack('shop');
    const prod = new Namespace(stack, 'prod');
    new App(prod, 'web', { image: 'img:1', port: 80, replica: 2, resources: { cpu: '1', memroy: '1Gi' }, health: { path: '/', periodSecond: 3 } } as never);
    const { diagnostics } = synth(stack);
    expect(diagnostics.map((d) => [d.construct, d.message])).toEqual([
      ['shop/prod/web', 'AppProps: unknown property "replica"; did you mean "replicas"?'],
      ['shop/prod/web', 'AppProps: unknown property "resources.memroy"; did you mean "resources.memory"?'],
      ['shop/prod/web', 'AppProps: unknown property "health.periodSecond"; did you mean "health.periodSeconds"?'],
    ]);
  });

  it('names what is far from every known prop without a guess, for every construct', () => {
    const stack = new Stack('shop', { lables: {} } as never);
    const prod = new Namespace(stack, 'prod', { color: 'blue' } as never);
    new ExternalDb(prod, 'db', { host: 'db.example.com', prot: 5432 } as never);
    new Service(prod, 'svc', { selects: undefined, selctor: { a: 'b' }, ports: [{ port: 80 }] } as never);
    const app = new App(prod, 'api', { image: 'img:1', port: 80 });
    app.expose({ prot: 81 } as never);
    new Pod(prod, 'pod', { spec: { containers: [{ name: 'a', image: 'b' }] }, metdata: {} } as never);
    const messages = synth(stack).diagnostics.map((d) => `${d.construct}: ${d.message}`);
    expect(messages).toEqual([
      'shop: StackProps: unknown property "lables"; did you mean "labels"?',
      'shop/prod: NamespaceProps: unknown property "color"',
      'shop/prod/db: ExternalDbProps: unknown property "prot"; did you mean "port"?',
      'shop/prod/svc: ServiceProps: unknown property "selctor"; did you mean "selector"?',
      'shop/prod/api: ExposeProps: unknown property "prot"; did you mean "port"?',
      'shop/prod/pod: PodProps: unknown property "metdata"; did you mean "metadata"?',
    ]);
  });

  it('free-form maps (labels, env, selector) take any key', () => {
    const stack = new Stack('shop', { labels: { team: 'a' } });
    new App(stack, 'api', { image: 'img:1', env: { ANYTHING: 'x' }, labels: { whatever: 'y' } });
    expect(synth(stack).diagnostics).toEqual([]);
  });
});
