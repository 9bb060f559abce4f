/**
 * `kite logs POD` and `kite logs -l SELECTOR`: what `kubectl logs` prints, for the local runtime
 * or any cluster, through pods/log. With a selector, each matching pod's default container, each
 * line prefixed `[pod/<name>/<container>]` (kubectl's --prefix), the last 10 lines unless --tail
 * says otherwise (kubectl's default with -l); followed streams are read at once.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Pod } from '../lib/api/model.ts';
import type { KubeClient } from '../lib/kube/index.ts';
import { openStream } from '../lib/kube/streams.ts';
import { EXIT_OK } from './exit-codes.ts';
import { reportKubeError } from './kube-errors.ts';
import type { Io } from './output.ts';
import { podContainer, podPath } from './pod-container.ts';
import { connect, type TargetFlags } from './target.ts';

export interface LogsOptions {
  pod?: string;
  selector?: string;
  container?: string;
  namespace?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  target: TargetFlags;
}

export const POD_REF = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;

/** Exit 0, or 1 with kubectl's wording for what the server refused. */
export async function logsCommand(o: LogsOptions, io: Io): Promise<number> {
  const client = connect(o.target, o.namespace ? { namespace: o.namespace } : {});
  try {
    const ns = client.target.namespace;
    if (o.pod !== undefined) {
      const pod = await client.get<Pod>(POD_REF, ns, o.pod);
      await stream(client, o, pod, podContainer(pod, o.container, io.err), plain(io.out));
      return EXIT_OK;
    }
    const pods = (await client.list<Pod>(POD_REF, { namespace: ns, labelSelector: o.selector ?? '' })).items;
    if (pods.length === 0) {
      io.err(`No resources found in ${ns} namespace.\n`);
      return EXIT_OK;
    }
    const several = { ...o, tailLines: o.tailLines ?? 10 };
    const each = pods.map((pod) => {
      const container = podContainer(pod, o.container, () => {});
      return () => stream(client, several, pod, container, prefixed(`[pod/${pod.metadata.name}/${container}] `, io.out));
    });
    // Followed pods all at once (their lines interleave); otherwise one after the other.
    if (o.follow) await Promise.all(each.map((run) => run()));
    else for (const run of each) await run();
    return EXIT_OK;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}

/** Where a log's text goes: written as it comes, ended once. */
interface Sink {
  write(text: string): void;
  end(): void;
}

async function stream(client: KubeClient, o: LogsOptions, pod: Pod, container: string, out: Sink): Promise<void> {
  const res = await openStream(client, podPath(pod.metadata.namespace ?? client.target.namespace, pod.metadata.name ?? '', 'log'), {
    container,
    follow: o.follow || undefined,
    previous: o.previous || undefined,
    timestamps: o.timestamps || undefined,
    tailLines: o.tailLines,
    sinceSeconds: o.sinceSeconds,
  });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of res) out.write(decoder.write(chunk as Buffer));
  out.write(decoder.end());
  out.end();
}

/** Text as it comes. */
function plain(out: (text: string) => void): Sink {
  return { write: (text) => text && out(text), end: () => {} };
}

/** Whole lines only, each with `prefix` first, so that the lines of pods followed at once never mix. */
function prefixed(prefix: string, out: (text: string) => void): Sink {
  let pending = '';
  return {
    write(text) {
      pending += text;
      const end = pending.lastIndexOf('\n') + 1;
      if (end === 0) return;
      out(pending.slice(0, end - 1).split('\n').map((line) => `${prefix}${line}\n`).join(''));
      pending = pending.slice(end);
    },
    end() {
      if (pending) out(`${prefix}${pending}\n`);
      pending = '';
    },
  };
}
