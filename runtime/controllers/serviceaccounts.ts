/**
 * The serviceaccounts controller (k/k pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * every active namespace has a `default` ServiceAccount, made again if deleted. Pod admission
 * defaults a pod's account to it.
 */
import { DEFAULT_SERVICE_ACCOUNT } from '../../lib/api/kinds/serviceaccount.ts';
import type { ApiClient } from '../client/client.ts';
import { PerNamespaceController } from './per-namespace.ts';
import type { ControllerOptions } from './shared.ts';

export class ServiceAccountsController extends PerNamespaceController<'serviceaccounts'> {
  constructor(client: ApiClient, opts: ControllerOptions = {}) {
    super(
      'serviceaccount-controller',
      client,
      {
        resource: 'serviceaccounts',
        name: DEFAULT_SERVICE_ACCOUNT,
        desired: (namespace) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } }),
      },
      opts,
    );
  }
}
