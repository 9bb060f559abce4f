/**
 * `kite describe KIND NAME`: kubectl's describe output (lib/kubectl/describe: one describer per
 * kind, the generic one for the rest). As kubectl, a NAME that matches no object describes
 * every object whose name starts with it, and fails only when there is none.
 */
import { describeByName, resolveKinds } from '../lib/kubectl/index.ts';
import { EXIT_OK } from './exit-codes.ts';
import { reportKubeError } from './kube-errors.ts';
import { UserError, type Io } from './output.ts';
import { connect, type TargetFlags } from './target.ts';

export interface DescribeOptions {
  kind: string;
  name: string;
  namespace?: string;
  target: TargetFlags;
}

/** `kite describe`: exit 0, or 1 when nothing matches or the cluster refuses. */
export async function describeCommand(o: DescribeOptions, io: Io): Promise<number> {
  const kindArg = o.kind;
  const name = o.name;
  if (kindArg.includes('/') && kindArg.indexOf('/') === kindArg.lastIndexOf('/')) {
    throw new UserError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kite describe ${kindArg}' instead of 'kite describe ${kindArg} ${name}')`);
  }
  const client = connect(o.target, o.namespace ? { namespace: o.namespace } : {});
  try {
    const resources = await resolveKinds(client, kindArg);
    if (resources.length !== 1) throw new UserError(`describe takes a single kind, "${kindArg}" names ${resources.length}`);
    const res = resources[0]!;
    for await (const text of describeByName(client, res, res.namespaced ? client.target.namespace : undefined, name)) io.out(text);
    return EXIT_OK;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}
