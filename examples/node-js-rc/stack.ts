// seed: node-js-rc.yaml — a ReplicationController (3 replicas, equality selector) and a
// LoadBalancer Service selecting its pods.
import { Stack, ReplicationController, Service } from 'kite';

const stack = new Stack('node-js-rc');
const labels = { name: 'node-js' };
const rc = new ReplicationController(stack, 'node-js', {
  metadata: { labels },
  spec: {
    replicas: 3,
    selector: labels,
    template: {
      metadata: { labels },
      spec: {
        containers: [{ name: 'node-js', image: 'jonbaier/node-express-info:latest', ports: [{ containerPort: 80 }] }],
      },
    },
  },
});
new Service(stack, 'node-js-service', {
  metadata: { name: 'node-js', labels },
  type: 'LoadBalancer',
  ports: [{ port: 80 }],
  selects: rc,
});

export default stack;
