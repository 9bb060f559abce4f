// seed: apache-hook-rc.yaml — postStart (an HTTP call to an absolute URL) and preStop (a local
// command) lifecycle hooks.
import { Stack, ReplicationController } from 'kite';

const stack = new Stack('apache-hook-rc');
const labels = { name: 'apache-hook' };
new ReplicationController(stack, 'apache-hook', {
  metadata: { labels },
  spec: {
    replicas: 3,
    selector: labels,
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'apache-hook',
            image: 'bitnami/apache:latest',
            ports: [{ containerPort: 80 }],
            lifecycle: {
              // make an HTTP call to the endpoint and port
              postStart: { httpGet: { path: 'http://my.registration-server.com/register/', port: 80 } },
              // runs a local command in the container
              preStop: { exec: { command: ['/usr/local/bin/apachectl', '-k', 'graceful-stop'] } },
            },
          },
        ],
      },
    },
  },
});

export default stack;
