// The checkout service, built from the web team's WebService: the team's defaults, but three replicas.
import { Stack, Namespace } from 'kite';
import { WebService } from '@kite-examples/team-lib';

const stack = new Stack('checkout');
const shop = new Namespace(stack, 'shop');
new WebService(shop, 'checkout', {
  image: 'jonbaier/node-express-info:latest',
  team: 'web',
  replicas: 3,
});

export default stack;
