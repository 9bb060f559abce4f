// seed: node-js-health-rc.yaml — HTTP liveness and readiness probes on a ReplicationController.
import { Stack, ReplicationController } from 'kite';

const stack = new Stack('node-js-health-rc');
const labels = { name: 'node-js' };
// An HTTP health check, used for both liveness and readiness.
const statusCheck = { httpGet: { path: '/status/', port: 80 }, initialDelaySeconds: 30, timeoutSeconds: 1 };
new ReplicationController(stack, 'node-js', {
  metadata: { labels },
  spec: {
    replicas: 3,
    selector: labels,
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'node-js',
            image: 'jonbaier/node-express-info:latest',
            ports: [{ containerPort: 80 }],
            livenessProbe: statusCheck,
            readinessProbe: statusCheck,
          },
        ],
      },
    },
  },
});

export default stack;
