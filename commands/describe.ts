/**
 * `kite describe KIND NAME`: kubectl's describe output (commands/describe/*: one describer per
 * kind, the generic one for the rest). As kubectl, a NAME that matches no object describes
 * every object whose name starts with it, and fails only when there is none.
 */
import type { ApiResource, KubeObject } from '../lib/kube/index.ts';
import { isNotFound } from '../lib/kube/index.ts';
import { type Obj, type DescribeContext } from './describe/common.ts';
import { describeConfigMap, describeGeneric, describeNamespace, describeSecret } from './describe/misc.ts';
import { describeNode } from './describe/node.ts';
import { describePod } from './describe/pod.ts';
import { describeEndpoints, describeEndpointSlice, describeService } from './describe/service.ts';
import { describeReplicaSet, describeReplicationController } from './describe/workloads.ts';
import { EXIT_OK } from './exit-codes.ts';
import { refOf, resolveKinds } from './get.ts';
import { UserError, type Io } from './output.ts';
import { reportKubeError } from './printers.ts';
import { connect, type TargetFlags } from './target.ts';

export interface DescribeOptions {
  kind: string;
  name: string;
  namespace?: string;
  target: TargetFlags;
}

/** The describer for a resource: kubectl's for the kinds it knows, else the generic one. */
export function describerFor(res: ApiResource): (o: Obj, ctx: DescribeContext) => Promise<string> {
  const key = `${res.group}/${res.kind}`;
  switch (key) {
    case '/Pod':
      return describePod;
    case '/ReplicationController':
      return describeReplicationController;
    case 'apps/ReplicaSet':
    case 'extensions/ReplicaSet':
      return describeReplicaSet;
    case '/Service':
      return describeService;
    case '/Endpoints':
      return describeEndpoints;
    case 'discovery.k8s.io/EndpointSlice':
      return describeEndpointSlice;
    case '/Node':
      return describeNode;
    case '/Namespace':
      return describeNamespace;
    case '/ConfigMap':
      return describeConfigMap;
    case '/Secret':
      return (o) => describeSecret(o);
    default:
      return (o, ctx) => describeGeneric(o, res, ctx);
  }
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
    const namespace = res.namespaced ? client.target.namespace : undefined;
    const ctx: DescribeContext = { client, now: Date.now() };
    const describe = describerFor(res);
    let obj: KubeObject;
    try {
      obj = await client.get(refOf(res), namespace, name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // kubectl: describe every object whose name starts with NAME, or report the NotFound
      const list = await client.listAll(refOf(res), namespace ? { namespace } : {});
      const matches = list.items.filter((it) => (it.metadata?.name ?? '').startsWith(name));
      if (matches.length === 0) throw e;
      for (const m of matches) {
        const full = { ...m, apiVersion: m.apiVersion ?? res.apiVersion, kind: m.kind ?? res.kind };
        io.out(`${await describe(full as unknown as Obj, { ...ctx, now: Date.now() })}\n`);
      }
      return EXIT_OK;
    }
    io.out(await describe(obj as unknown as Obj, ctx));
    return EXIT_OK;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}
