// seed: node-js-rs.yaml — a ReplicaSet selecting with matchLabels + matchExpressions. The seed
// says `extensions/v1beta1`; constructs always write `apps/v1`.
import { Stack, ReplicaSet } from 'kite';

const stack = new Stack('node-js-rs');
new ReplicaSet(stack, 'node-js-rs', {
  spec: {
    replicas: 3,
    selector: {
      // The selector should be a proper subset of the labels in the Pod template.
      matchLabels: { app: 'node-js-express', deployment: 'test' },
      matchExpressions: [{ key: 'name', operator: 'In', values: ['node-js-rs'] }],
    },
    template: {
      metadata: { labels: { name: 'node-js-rs', app: 'node-js-express', deployment: 'test', version: 'v1' } },
      spec: {
        containers: [{ name: 'node-js-rs', image: 'jonbaier/node-express-info:latest', ports: [{ containerPort: 80 }] }],
      },
    },
  },
});

export default stack;
