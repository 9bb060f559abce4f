import type { Construct } from 'constructs';
import { METADATA_SHAPE, checkProps } from './props.ts';
import { Resource, type MetadataProps } from './resource.ts';

export interface ApiObjectProps {
  apiVersion: string;
  kind: string;
  metadata?: MetadataProps;
  /** The rest of the object (`spec`, `data`, ...), passed through as written. */
  [field: string]: unknown;
}

/**
 * Any other kind (Deployment, ConfigMap, a CRD, ...): passed through with metadata
 * validation only, so nothing a real cluster accepts is blocked.
 */
export class ApiObject extends Resource {
  private readonly fields: Record<string, unknown>;
  constructor(scope: Construct, id: string, props: ApiObjectProps) {
    const { apiVersion, kind, metadata, ...fields } = props;
    super(scope, id, apiVersion, kind, metadata as MetadataProps | undefined);
    this.fields = fields;
    checkProps(this, 'ApiObjectProps', { metadata }, { metadata: METADATA_SHAPE });
  }
  protected body(): Record<string, unknown> {
    return this.fields;
  }
}
