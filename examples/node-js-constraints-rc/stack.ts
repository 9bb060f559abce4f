// seed: node-js-constraints-rc.yaml — limits only (requests default to them), too big for a
// small node: the scheduler must say so.
import { Stack, ReplicationController } from 'kite';

const stack = new Stack('node-js-constraints-rc');
const labels = { name: 'node-js-constraints' };
new ReplicationController(stack, 'node-js-constraints', {
  metadata: { labels },
  spec: {
    replicas: 3,
    selector: labels,
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'node-js-constraints',
            image: 'jonbaier/node-express-info:latest',
            ports: [{ containerPort: 80 }],
            resources: { limits: { memory: '512Mi', cpu: '1500m' } },
          },
        ],
      },
    },
  },
});

export default stack;
