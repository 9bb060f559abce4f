// The shop: an API with three replicas in `prod`, reaching its database through a stable
// in-cluster name, exposed through a LoadBalancer Service.
import { Stack, Namespace, App, ExternalDb } from 'kite';

const stack = new Stack('shop');
const prod = new Namespace(stack, 'prod');
const db = new ExternalDb(prod, 'my-database', { host: 'database.company.com' });
const api = new App(prod, 'api', {
  image: 'jonbaier/node-express-info:latest',
  replicas: 3,
  port: 8080,
  health: '/status/',
  resources: { cpu: '250m', memory: '128Mi', limits: { memory: '256Mi' } },
  env: { DATABASE_HOST: db.dnsName }, // my-database.prod.svc.cluster.local
});
api.expose({ port: 80, type: 'LoadBalancer' });

export default stack;
