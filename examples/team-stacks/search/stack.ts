// The search service, built from the web team's WebService: the team's defaults, but more memory.
import { Stack, Namespace } from 'kite';
import { WebService } from '@kite-examples/team-lib';

const stack = new Stack('search');
const shop = new Namespace(stack, 'search');
new WebService(shop, 'search', {
  image: 'jonbaier/node-express-info:latest',
  team: 'web',
  resources: { cpu: '100m', memory: '256Mi', limits: { memory: '512Mi' } },
});

export default stack;
