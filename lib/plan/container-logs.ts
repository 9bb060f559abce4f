/** The last log lines of a crash-looping container, for the wait's failure message. */
import type { KubeClient } from '../kube/index.ts';
import type { ContainerLogRef } from './readiness.ts';

const LOG_TIMEOUT_MS = 10_000;

/** The last lines a (crash-looping) container wrote, formatted for a failure message. */
export async function fetchLogs(client: KubeClient, c: ContainerLogRef, lines: number): Promise<string | undefined> {
  const path = `/api/v1/namespaces/${encodeURIComponent(c.namespace)}/pods/${encodeURIComponent(c.pod)}/log`;
  const get = (previous: boolean) =>
    client.request('GET', path, {
      query: { container: c.container, tailLines: lines, ...(previous ? { previous: true } : {}) },
      accept: 'text/plain, */*',
      timeoutMs: LOG_TIMEOUT_MS,
    });
  let text: unknown;
  let previous = c.previous;
  try {
    text = await get(previous);
  } catch (e) {
    if (!previous) return `(logs unavailable: ${(e as Error).message})`;
    try {
      previous = false;
      text = await get(false);
    } catch (e2) {
      return `(logs unavailable: ${(e2 as Error).message})`;
    }
  }
  const body = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
  const all = body.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const which = `${c.pod}/${c.container}${previous ? ', previous run' : ''}`;
  if (all.trim() === '') return `(no log output from ${which})`;
  const tail = all.split('\n').slice(-lines);
  return [`last log lines (${which}):`, ...tail.map((l) => `  ${l}`)].join('\n');
}
