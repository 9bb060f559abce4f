import { isDeepStrictEqual } from 'node:util';
import type { Construct } from 'constructs';
import type { Diagnostic } from '../api/diagnostics.ts';
import { objectRef, type KubeObject } from '../api/meta.ts';
import { lookupKind } from '../api/model.ts';
import { App } from '../constructs/app.ts';
import { ExternalDb } from '../constructs/external-db.ts';
import { appPropsFor, exposePropsFor } from './app-props.ts';
import { synthesizesExactly } from './exact.ts';
import { IdentifierPool } from './identifiers.ts';
import { SharedLabels, isLabelMap } from './labels.ts';
import { Ref, evaluate, type Literal } from './literal.ts';

export type ConstructName = 'App' | 'ExternalDb' | 'Pod' | 'ReplicaSet' | 'ReplicationController' | 'Deployment' | 'Service' | 'Endpoints' | 'ApiObject';

/** One `new X(scope, id, props)` of the generated program. */
export interface Declaration {
  construct: ConstructName;
  id: string;
  props: Literal;
  /** Set when other declarations refer to this one (`selects: web`). */
  varName?: string;
  /** `app.expose(props)` calls on an App. */
  exposes?: Literal[];
}

/** Where objects live: the stack root, or a namespace (declared here or existing). */
export interface Scope {
  namespace: string | undefined;
  /** The identifier the program's declarations use as scope. */
  varName: string;
  /** A Namespace this stack declares (with its labels/annotations), else `Namespace.existing`. */
  declared?: { props: Literal } | undefined;
  declarations: Declaration[];
}

export interface ProgramPlan {
  stack: string;
  labels: { name: string; value: Record<string, string> }[];
  /** The root first, then namespaces by name. */
  scopes: Scope[];
  diagnostics: Diagnostic[];
}

const METADATA_KEYS = new Set(['name', 'namespace', 'labels', 'annotations']);
const WORKLOADS: Record<string, ConstructName> = { Pod: 'Pod', ReplicaSet: 'ReplicaSet', ReplicationController: 'ReplicationController', Deployment: 'Deployment' };
const CONSTRUCT_API_VERSION: Record<string, string> = { Pod: 'v1', ReplicaSet: 'apps/v1', ReplicationController: 'v1', Deployment: 'apps/v1', Service: 'v1', Endpoints: 'v1' };

/**
 * Decides how each object is written: an idiomatic construct (App, ExternalDb, Namespace scopes,
 * `selects`) where it synthesizes exactly that object, else its 1:1 construct, else ApiObject.
 */
export function recognize(stackName: string, objects: readonly KubeObject[]): ProgramPlan {
  const diagnostics: Diagnostic[] = [];
  const writable = objects.filter((o) => {
    const extra = Object.keys(o.metadata).filter((k) => !METADATA_KEYS.has(k));
    for (const k of extra) {
      diagnostics.push({ severity: 'error', code: 'import', path: `metadata.${k}`, object: objectRef(o), message: `a kite construct cannot set metadata.${k}; remove it from the manifest to import the object` });
    }
    return extra.length === 0;
  });
  const ids = new IdentifierPool();
  const root: Scope = { namespace: undefined, varName: 'stack', declarations: [] };
  const rootIds = new Set<string>();
  const scopes = new Map<string, Scope>();
  const namespaceObjects = writable.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1');
  const used = new Set(writable.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined));
  for (const n of [...new Set([...namespaceObjects.map((o) => o.metadata.name!), ...used])].sort()) {
    scopes.set(n, { namespace: n, varName: ids.take(n), declarations: [] });
    rootIds.add(n);
  }
  const rest: KubeObject[] = [];
  for (const o of writable) {
    const scope = o.kind === 'Namespace' ? scopes.get(o.metadata.name!) : undefined;
    const extra = Object.keys(o).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata');
    if (scope && o.apiVersion === 'v1' && extra.length === 0) {
      const { labels: l, annotations: a } = o.metadata;
      scope.declared = { props: { ...(l ? { labels: l } : {}), ...(a ? { annotations: a } : {}) } };
    } else rest.push(o);
  }
  const scopeOf = (o: KubeObject): Scope => {
    const ns = o.metadata.namespace;
    const info = lookupKind(o.apiVersion, o.kind);
    return ns !== undefined && info?.namespaced !== false ? scopes.get(ns)! : root;
  };
  const groups = new Map<Scope, KubeObject[]>();
  for (const o of rest) groups.set(scopeOf(o), [...(groups.get(scopeOf(o)) ?? []), o]);
  for (const [scope, list] of groups) {
    new ScopeBuilder(stackName, scope, scope === root ? rootIds : new Set(), ids).build(list);
  }
  const all = [root, ...scopes.values()];
  // Label maps written more than once become consts, counted over what the program writes.
  const props = all.flatMap((s) => [...(s.declared ? [s.declared.props] : []), ...s.declarations.map((d) => d.props)]);
  const labels = new SharedLabels(props, ids);
  for (const s of all) {
    if (s.declared) s.declared.props = labels.hoist(s.declared.props);
    for (const d of s.declarations) d.props = labels.hoist(d.props);
  }
  return { stack: stackName, labels: labels.consts, scopes: [root, ...[...scopes.values()]], diagnostics };
}

type Data = Record<string, unknown>;

class ScopeBuilder {
  constructor(
    private readonly stackName: string,
    private readonly scope: Scope,
    private readonly takenIds: Set<string>,
    private readonly ids: IdentifierPool,
  ) {}

  build(objects: KubeObject[]): void {
    const done = new Set<KubeObject>();
    const services = objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
    for (const o of objects) {
      if (done.has(o)) continue;
      if (o.kind === 'Service' && o.apiVersion === 'v1') {
        const spec = (o.spec ?? {}) as Data;
        const port = onePort(spec);
        if (spec.type === 'ExternalName' && port && this.externalDb(o, [o], { host: spec.externalName as string, ...port })) {
          done.add(o);
          continue;
        }
        const endpoints = objects.find((e) => e.kind === 'Endpoints' && e.apiVersion === 'v1' && e.metadata.name === o.metadata.name && !done.has(e));
        if (spec.selector === undefined && endpoints && this.externalDbByAddress(o, endpoints)) {
          done.add(o).add(endpoints);
          continue;
        }
        continue; // written with its workload, or on its own below
      }
      if (!WORKLOADS[o.kind] || CONSTRUCT_API_VERSION[o.kind] !== o.apiVersion) continue;
      const selector = podSelectorOf(o);
      const selecting = services.filter((s) => !done.has(s) && selector !== undefined && isDeepStrictEqual((s.spec as Data | undefined)?.selector, selector));
      done.add(o);
      selecting.forEach((s) => done.add(s));
      if ((o.kind === 'ReplicaSet' || o.kind === 'Deployment') && this.app(o, selecting)) continue;
      const workload = this.oneToOne(o);
      if (selecting.length > 0) workload.varName = this.ids.take(o.metadata.name!);
      for (const s of selecting) this.oneToOne(s, workload);
    }
    for (const o of objects) if (!done.has(o)) this.oneToOne(o);
  }

  private id(wanted: string, suffix: string): string {
    let id = this.takenIds.has(wanted) ? `${wanted}-${suffix}` : wanted;
    for (let n = 2; this.takenIds.has(id); n++) id = `${wanted}-${suffix}-${n}`;
    this.takenIds.add(id);
    return id;
  }

  private declare(d: Declaration): Declaration {
    this.scope.declarations.push(d);
    return d;
  }

  private externalDb(service: KubeObject, objects: KubeObject[], props: Record<string, Literal>): boolean {
    const name = service.metadata.name!;
    if (this.takenIds.has(name)) return false;
    if (!synthesizesExactly(this.stackName, this.scope.namespace, objects, (scope) => new ExternalDb(scope, name, evaluate(props) as never))) return false;
    this.takenIds.add(name);
    this.declare({ construct: 'ExternalDb', id: name, props });
    return true;
  }

  private externalDbByAddress(service: KubeObject, endpoints: KubeObject): boolean {
    const subsets = endpoints.subsets as Data[] | undefined;
    const ports = (service.spec as Data | undefined)?.ports as Data[] | undefined;
    const addresses = subsets?.[0]?.addresses as Data[] | undefined;
    if (subsets?.length !== 1 || ports?.length !== 1 || !addresses) return false;
    const props: Record<string, Literal> = { addresses: addresses.map((a) => a.ip as string), port: ports[0]!.port as number };
    if (ports[0]!.protocol !== undefined && ports[0]!.protocol !== 'TCP') props.protocol = ports[0]!.protocol as string;
    return this.externalDb(service, [service, endpoints], props);
  }

  private app(w: KubeObject, services: KubeObject[]): boolean {
    const name = w.metadata.name!;
    const props = appPropsFor(w);
    if (!props || this.takenIds.has(name)) return false;
    const exposes = services.map((s) => exposePropsFor(s, props, name));
    const build = (withServices: boolean) => (scope: Construct) => {
      const app = new App(scope, name, evaluate(props) as never);
      if (withServices) exposes.forEach((e) => app.expose(evaluate(e!) as never));
    };
    const servicesToo = services.length > 0 && exposes.every((e) => e !== undefined) && new Set(services.map((s) => s.metadata.name)).size === services.length;
    if (servicesToo && synthesizesExactly(this.stackName, this.scope.namespace, [w, ...services], build(true))) {
      this.takenIds.add(name);
      this.declare({ construct: 'App', id: name, props: props, exposes: exposes as Literal[], ...(exposes.length > 1 ? { varName: this.ids.take(name) } : {}) });
      return true;
    }
    if (!synthesizesExactly(this.stackName, this.scope.namespace, [w], build(false))) return false;
    this.takenIds.add(name);
    const app = this.declare({ construct: 'App', id: name, props: props });
    if (services.length > 0) app.varName = this.ids.take(name);
    for (const s of services) this.oneToOne(s, app);
    return true;
  }

  /** The object's own construct (`selects` the workload when given), or ApiObject for any other kind. */
  private oneToOne(o: KubeObject, selects?: Declaration): Declaration {
    const name = o.metadata.name!;
    const { labels, annotations } = o.metadata;
    const { apiVersion, kind, metadata: _, ...fields } = o;
    const own = CONSTRUCT_API_VERSION[kind] === apiVersion && (kind === 'Service' || Object.keys(fields).every((k) => k === (kind === 'Endpoints' ? 'subsets' : 'spec')));
    const construct: ConstructName = own && (kind === 'Service' || kind === 'Endpoints' || fields.spec !== undefined) ? (kind as ConstructName) : 'ApiObject';
    const id = this.id(name, kind.toLowerCase());
    const metadata: Record<string, Literal> = {};
    if (id !== name) metadata.name = name;
    if (labels) metadata.labels = labels;
    if (annotations) metadata.annotations = annotations;
    const meta: Record<string, Literal> = Object.keys(metadata).length > 0 ? { metadata } : {};
    let props: Record<string, Literal>;
    if (construct === 'ApiObject') props = { apiVersion, kind, ...meta, ...(fields as Record<string, Literal>) };
    else if (construct === 'Service') {
      const { selector, ...spec } = (fields.spec ?? {}) as Record<string, Literal>;
      const select: Record<string, Literal> = selects ? { selects: new Ref(selects.varName!, undefined) } : isLabelMap(selector) ? { selector } : {};
      props = { ...meta, ...spec, ...select };
    } else props = { ...meta, ...(fields as Record<string, Literal>) };
    return this.declare({ construct, id, props });
  }
}

/** ExternalDb's `port` for a Service's ports, or undefined when ExternalDb cannot write them. */
function onePort(spec: Data): { port?: number } | undefined {
  const ports = spec.ports as Data[] | undefined;
  if (ports === undefined) return {};
  if (ports.length === 1 && Object.keys(ports[0]!).length === 1 && typeof ports[0]!.port === 'number') return { port: ports[0]!.port };
  return undefined;
}

/** The equality labels a Service must select to select exactly this workload's pods (as the constructs' podSelector). */
function podSelectorOf(o: KubeObject): Record<string, string> | undefined {
  const spec = o.spec as Data | undefined;
  let sel: unknown;
  if (o.kind === 'Pod') sel = o.metadata.labels;
  else if (o.kind === 'ReplicationController') sel = spec?.selector ?? (spec?.template as { metadata?: { labels?: unknown } } | undefined)?.metadata?.labels;
  else sel = (spec?.selector as Data | undefined)?.matchLabels;
  return isLabelMap(sel) ? sel : undefined;
}
