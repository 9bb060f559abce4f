/**
 * `kite get KIND [NAME]`: what `kubectl get` prints (lib/kubectl), for the local runtime or any
 * cluster. Kinds resolve through the server's discovery, so resource, singular and short names,
 * kinds, `kind.group` and the `all` category work as in kubectl.
 */
import { GET_OUTPUTS, kubectlGet, resolveKinds, type GetOutput } from '../lib/kubectl/index.ts';
import { EXIT_OK } from './exit-codes.ts';
import { reportKubeError } from './kube-errors.ts';
import { UserError, type Io } from './output.ts';
import { connect, type TargetFlags } from './target.ts';

export interface GetOptions {
  kind: string;
  name?: string;
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  output?: string;
  target: TargetFlags;
}

function parseOutput(output: string | undefined): GetOutput {
  if (output === undefined || output === '') return 'table';
  if ((GET_OUTPUTS as readonly string[]).includes(output)) return output as GetOutput;
  throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${GET_OUTPUTS.join(',')}`);
}

/** `kite get`: exit 0 (also when nothing matched), 1 for a user or cluster error. */
export async function getCommand(o: GetOptions, io: Io): Promise<number> {
  const output = parseOutput(o.output);
  let kindArg = o.kind;
  let name = o.name;
  if (name === undefined && kindArg.includes('/')) {
    const slash = kindArg.indexOf('/');
    name = kindArg.slice(slash + 1);
    kindArg = kindArg.slice(0, slash);
    if (name === '') throw new UserError(`arguments in resource/name form must have a single resource and name`);
  }
  if (name !== undefined && o.allNamespaces) throw new UserError('a resource cannot be retrieved by name across all namespaces');
  if (name !== undefined && o.selector !== undefined) throw new UserError('name cannot be provided when a selector is specified');

  const client = connect(o.target, o.namespace ? { namespace: o.namespace } : {});
  try {
    const resources = await resolveKinds(client, kindArg);
    // several kinds asked for (`all`, `pods,svc`): names then carry their kind
    const several = kindArg.includes(',') || kindArg.toLowerCase() === 'all' || resources.length > 1;
    const { out, err } = await kubectlGet(client, { resources, several, name, namespace: client.target.namespace, allNamespaces: o.allNamespaces, selector: o.selector, output });
    if (err !== '') io.err(err);
    if (out !== '') io.out(out);
    return EXIT_OK;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}
