// Child process of crash.test.ts: opens the store in argv[2], runs round argv[3] of the plan
// (seed argv[4]) with all writers concurrently, and prints one line per acknowledged write the
// moment its promise resolves:  ACK <key> <rv> <hash|DELETED>
// It never closes the store: after DONE it idles until the parent's SIGKILL.
import { openStore } from '../../../runtime/store/sqlite-store.ts';
import { plan } from './crash-plan.ts';

const [dir, roundArg, seedArg] = process.argv.slice(2);
const round = Number(roundArg);
const writers = plan(round, Number(seedArg));
const store = openStore(dir!);
const out = (line: string) => process.stdout.write(line + '\n'); // synchronous for pipes on Linux

out(`READY ${store.revision}`);
await Promise.all(
  writers.map(async (writes) => {
    const rvs = new Map<string, number>();
    for (const w of writes) {
      const p =
        w.type === 'create'
          ? store.create(w.key, w.value!)
          : w.type === 'update'
            ? store.update(w.key, w.value!, rvs.get(w.key))
            : store.delete(w.key, rvs.get(w.key));
      const result = await p;
      const rv = Number((result.metadata as { resourceVersion: string }).resourceVersion);
      out(`ACK ${w.key} ${rv} ${w.hash}`);
      if (w.type === 'delete') rvs.delete(w.key);
      else rvs.set(w.key, rv);
    }
  }),
);
out('DONE');
setInterval(() => {}, 1 << 30);
