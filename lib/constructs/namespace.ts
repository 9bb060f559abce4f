import { Construct } from 'constructs';
import { checkProps } from './props.ts';
import { Resource, markNamespaceScope, type MetadataProps } from './resource.ts';

export type NamespaceProps = Omit<MetadataProps, 'name'>;

/** A Namespace object; constructs created inside it live in it. */
export class Namespace extends Resource {
  /**
   * A scope for a namespace this stack does not own (created by another stack or by the
   * cluster, like `default`): children live in it, no Namespace object is synthesized.
   */
  static existing(scope: Construct, name: string): NamespaceRef {
    return new NamespaceRef(scope, name);
  }

  constructor(scope: Construct, name: string, props: NamespaceProps = {}) {
    super(scope, name, 'v1', 'Namespace', props);
    checkProps(this, 'NamespaceProps', props, { labels: 'free', annotations: 'free' });
    markNamespaceScope(this);
  }

  protected body(): Record<string, unknown> {
    return {};
  }
}

/** See `Namespace.existing`. */
export class NamespaceRef extends Construct {
  readonly name: string;
  constructor(scope: Construct, name: string) {
    super(scope, name);
    this.name = name;
    markNamespaceScope(this);
  }
}
