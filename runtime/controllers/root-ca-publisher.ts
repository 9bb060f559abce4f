/**
 * The root CA certificate publisher (k/k pkg/controller/certificates/rootcacertpublisher): every
 * active namespace has the `kube-root-ca.crt` ConfigMap holding the CA that signed the API
 * server's certificate under `ca.crt`, so pods can verify `kubernetes.default.svc`; an edited
 * or deleted one is put back.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import type { ConfigMap } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import { PerNamespaceController } from './per-namespace.ts';
import type { ControllerOptions } from './shared.ts';

export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** publisher.go's description of the ConfigMap. */
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCAPublisherOptions extends ControllerOptions {
  /** The cluster CA certificate (PEM). */
  caCertPem: string;
}

export class RootCACertPublisher extends PerNamespaceController<'configmaps'> {
  constructor(client: ApiClient, opts: RootCAPublisherOptions) {
    const data = { 'ca.crt': opts.caCertPem };
    super(
      'root-ca-cert-publisher',
      client,
      {
        resource: 'configmaps',
        name: ROOT_CA_CONFIG_MAP,
        desired: (namespace) => ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIG_MAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        }),
        repaired: (cm: ConfigMap) => {
          const annotations = cm.metadata.annotations ?? {};
          if (jsonEqual(cm.data, data) && annotations[DESCRIPTION_ANNOTATION] === DESCRIPTION) return undefined;
          return { ...cm, metadata: { ...cm.metadata, annotations: { ...annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data };
        },
      },
      opts,
    );
  }
}
