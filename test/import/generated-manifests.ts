// A deterministic mix of manifests for the import round trip: every pattern `kite import`
// recognizes (and the ones it must leave 1:1), in several namespaces, with shared labels.
import { mulberry32 } from '../support/prng.ts';

type Obj = Record<string, unknown>;

/** About `count` objects (pairs stay whole) for a stack named `stack` (App labels carry it). */
export function generateManifests(count: number, seed: number, stack: string): Obj[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const declared = ['team-a', 'team-b', 'web-9'];
  const namespaces: (string | undefined)[] = [...declared, 'shared', undefined];
  const out: Obj[] = declared.map((name, i) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(i === 0 ? { labels: { team: 'a' } } : {}) },
  }));
  const tiers = [{ tier: 'web' }, { tier: 'api', env: 'prod' }, { tier: 'worker' }];
  let n = 0;
  const meta = (kind: string, ns: string | undefined, extra: Obj = {}) => ({ name: `${kind}-${n++}`, ...(ns ? { namespace: ns } : {}), ...extra });
  const container = (name: string) => ({ name, image: `registry.example/${name}:${int(1, 9)}.${int(0, 9)}`, ports: [{ containerPort: pick([80, 8080, 9000]) }] });
  while (out.length < count) {
    const ns = pick(namespaces);
    const shape = pick(['rs+svc', 'deploy+svc', 'app', 'external-name', 'external-ip', 'pod', 'rc', 'configmap', 'secret', 'widget', 'clusterrole', 'service']);
    const shared = pick(tiers);
    switch (shape) {
      case 'rs+svc':
      case 'deploy+svc': {
        const m = meta(shape === 'rs+svc' ? 'rs' : 'deploy', ns);
        const selector = { app: m.name, ...shared };
        out.push({
          apiVersion: 'apps/v1',
          kind: shape === 'rs+svc' ? 'ReplicaSet' : 'Deployment',
          metadata: { ...m, labels: shared },
          spec: { replicas: int(1, 4), selector: { matchLabels: selector }, template: { metadata: { labels: { ...selector, version: 'v1' } }, spec: { containers: [container('main')] } } },
        });
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: m.name, ...(ns ? { namespace: ns } : {}) }, spec: { selector, ports: [{ port: 80, targetPort: int(1, 2) === 1 ? 80 : 'http' }] } });
        break;
      }
      case 'app': {
        const name = `app-${n++}`;
        const own = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': `${stack}-${name}` };
        const labels = { ...own, 'app.kubernetes.io/managed-by': 'kite' };
        const port = pick([80, 3000, 8080]);
        out.push({
          apiVersion: 'apps/v1',
          kind: pick(['ReplicaSet', 'Deployment']),
          metadata: { name, ...(ns ? { namespace: ns } : {}), labels },
          spec: {
            replicas: int(1, 3),
            selector: { matchLabels: own },
            template: { metadata: { labels }, spec: { containers: [{ name, image: `apps/${name}:1`, ports: [{ name: 'http', containerPort: port }] }] } },
          },
        });
        if (rand() < 0.7) {
          out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...(ns ? { namespace: ns } : {}), labels }, spec: { selector: own, ports: [{ name: 'http', port, targetPort: 'http' }] } });
        }
        break;
      }
      case 'external-name':
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: meta('db', ns), spec: { type: 'ExternalName', externalName: `db${n}.example.com`, ...(rand() < 0.5 ? { ports: [{ port: 5432 }] } : {}) } });
        break;
      case 'external-ip': {
        const m = meta('ext', ns);
        const port = { port: int(1000, 9000), ...(rand() < 0.5 ? { protocol: 'TCP' } : {}) };
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: m, spec: { ports: [port] } });
        out.push({ apiVersion: 'v1', kind: 'Endpoints', metadata: m, subsets: [{ addresses: [{ ip: `10.1.${int(0, 255)}.${int(1, 254)}` }], ports: [port] }] });
        break;
      }
      case 'pod':
        out.push({ apiVersion: 'v1', kind: 'Pod', metadata: meta('pod', ns, { labels: shared }), spec: { containers: [container('c')] } });
        break;
      case 'rc':
        out.push({
          apiVersion: 'v1',
          kind: 'ReplicationController',
          metadata: meta('rc', ns, { labels: shared }),
          spec: { replicas: int(1, 3), selector: shared, template: { metadata: { labels: shared }, spec: { containers: [container('rc')] } } },
        });
        break;
      case 'configmap':
        out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm', ns, { annotations: { 'example.com/owner': 'me' } }), data: { 'app.conf': `x=${n}\n`, mode: 'fast' } });
        break;
      case 'secret':
        out.push({ apiVersion: 'v1', kind: 'Secret', metadata: meta('secret', ns), type: 'Opaque', data: { password: Buffer.from(`pw${n}`).toString('base64') } });
        break;
      case 'widget':
        out.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('widget', ns ?? 'shared', { labels: shared }), spec: { size: int(1, 5), 'odd-key': [true, null] } });
        break;
      case 'clusterrole':
        out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('role', undefined), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] });
        break;
      case 'service':
        out.push({ apiVersion: 'v1', kind: 'Service', metadata: meta('svc', ns, { labels: shared }), spec: { selector: shared, ports: [{ name: 'web', port: 80 }], type: pick(['ClusterIP', 'NodePort']) } });
        break;
    }
  }
  return out;
}
