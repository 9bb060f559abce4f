// seed: external-name-service.yaml — an ExternalName Service: a CNAME in cluster DNS, no endpoints.
import { Stack, Service } from 'kite';

const stack = new Stack('external-name-service');
new Service(stack, 'external-database', { type: 'ExternalName', externalName: 'database.company.com' });

export default stack;
