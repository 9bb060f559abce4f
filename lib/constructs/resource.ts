import { Construct } from 'constructs';

const RESOURCE = Symbol.for('kite.Resource');
const NAMESPACE_SCOPE = Symbol.for('kite.NamespaceScope');

/** Metadata a user may set on any object; the name defaults to the construct id. */
export interface MetadataProps {
  /** The object's name. Defaults to the construct id: names are what the user wrote, no hashes. */
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * A construct that synthesizes exactly one Kubernetes object. Subclasses provide the body
 * (everything besides apiVersion, kind and metadata); validation happens at synth with the
 * object model's zod schemas, so a bad value is reported with the construct path.
 */
export abstract class Resource extends Construct {
  /** Works across copies of the library (a program's `kite` and the CLI's). */
  static isResource(x: unknown): x is Resource {
    return typeof x === 'object' && x !== null && RESOURCE in x;
  }

  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Where the user created this construct, so a diagnostic can point at their line. */
  readonly creationSite: Error;

  protected constructor(scope: Construct, id: string, apiVersion: string, kind: string, metadata: MetadataProps = {}) {
    super(scope, id);
    Object.defineProperty(this, RESOURCE, { value: true });
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.name = metadata.name ?? id;
    this.labels = { ...metadata.labels };
    this.annotations = { ...metadata.annotations };
    // Capturing is cheap (frames are formatted lazily, only if a diagnostic needs them).
    this.creationSite = new Error('created here');
  }

  /** The namespace of the nearest enclosing `Namespace`, if any. */
  get namespace(): string | undefined {
    if (this.kind === 'Namespace') return undefined;
    for (let s: Construct | undefined = this.node.scope; s; s = s.node.scope) {
      if (NAMESPACE_SCOPE in s) return (s as unknown as { name: string }).name;
    }
    return undefined;
  }

  addLabel(key: string, value: string): this {
    this.labels[key] = value;
    return this;
  }

  addAnnotation(key: string, value: string): this {
    this.annotations[key] = value;
    return this;
  }

  /** The object's fields after metadata: `spec`, `subsets`, `data`, ... */
  protected abstract body(): Record<string, unknown>;

  toManifest(): Record<string, unknown> {
    const metadata: Record<string, unknown> = { name: this.name };
    const ns = this.namespace;
    if (ns !== undefined) metadata.namespace = ns;
    if (Object.keys(this.labels).length > 0) metadata.labels = { ...this.labels };
    if (Object.keys(this.annotations).length > 0) metadata.annotations = { ...this.annotations };
    return { apiVersion: this.apiVersion, kind: this.kind, metadata, ...this.body() };
  }
}

/** A Resource whose body is a `spec`, as most kinds are. */
export abstract class SpecResource<Spec> extends Resource {
  readonly spec: Spec;
  protected constructor(scope: Construct, id: string, apiVersion: string, kind: string, metadata: MetadataProps | undefined, spec: Spec) {
    super(scope, id, apiVersion, kind, metadata);
    this.spec = spec;
  }
  protected body(): Record<string, unknown> {
    return { spec: this.spec };
  }
}

/** Marks a construct whose children live in the Kubernetes namespace it names. */
export function markNamespaceScope(c: Construct): void {
  Object.defineProperty(c, NAMESPACE_SCOPE, { value: true });
}

/** The in-cluster DNS name of a Service: `name.namespace.svc.cluster.local`. */
export function serviceDnsName(name: string, namespace: string | undefined): string {
  return `${name}.${namespace ?? 'default'}.svc.cluster.local`;
}
