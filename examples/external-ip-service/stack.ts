// seed: external-ip-service.yaml — a selector-less Service plus hand-written Endpoints of the
// same name. (`new ExternalDb(stack, 'external-ip-database', { addresses: ['192.168.0.1'],
// port: 3306 })` writes the same pair, with the protocol spelled out.)
import { Stack, Service, Endpoints } from 'kite';

const stack = new Stack('external-ip-service');
const service = new Service(stack, 'external-ip-database', { ports: [{ port: 3306 }] });
new Endpoints(stack, 'external-ip-database-endpoints', {
  metadata: { name: service.name }, // Endpoints belong to the Service by name
  subsets: [{ addresses: [{ ip: '192.168.0.1' }], ports: [{ port: 3306 }] }],
});

export default stack;
