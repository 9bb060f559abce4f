// seed: namespaced-services.yaml — the same Service name in `test` and `prod`; cluster DNS
// resolves `my-database` per namespace. The namespaces themselves are not part of the seed.
import { Stack, Namespace, Service } from 'kite';

const stack = new Stack('namespaced-services');
for (const ns of ['test', 'prod']) {
  new Service(Namespace.existing(stack, ns), 'my-database', { ports: [{ port: 5432 }] });
}

export default stack;
