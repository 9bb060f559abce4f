import { describe, expect, it } from 'vitest';
import type { ActionType, ObjectRef } from '../../lib/plan/plan.ts';
import { refId } from '../../lib/plan/plan.ts';
import { createProgress, formatDuration, formatSummary } from '../../lib/plan/progress.ts';
import { DeadlineExceededError, InterruptedError } from '../../lib/plan/stop.ts';
import type { ObjectState, ObjectStatus, WaitResult, WaitState } from '../../lib/plan/wait.ts';

const db: ObjectRef = { apiVersion: 'v1', kind: 'Service', namespace: 'prod', name: 'my-database' };
const api: ObjectRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'prod', name: 'api' };
const ns: ObjectRef = { apiVersion: 'v1', kind: 'Namespace', name: 'prod' };
const old: ObjectRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'old' };

const plan: Array<{ ref: ObjectRef; action: ActionType }> = [
  { ref: ns, action: 'no-op' },
  { ref: db, action: 'create' },
  { ref: api, action: 'update' },
  { ref: old, action: 'delete' },
];

/** A sequence of wait updates, as waitForReady reports them. */
function states(steps: Array<Array<[ObjectRef, ObjectStatus, string, string?]>>): WaitState[] {
  const current = new Map<string, ObjectState>();
  return steps.map((step, i) => {
    const changed = step.map(([ref, status, detail, failure]) => {
      const s: ObjectState = { ref, id: refId(ref), status, detail, ...(failure ? { failure } : {}) };
      current.set(s.id, s);
      return s;
    });
    return { objects: [...current.values()], changed, elapsedMs: i * 100, done: i === steps.length - 1 };
  });
}

const successWait: WaitResult = { ready: [ns, db, api], failed: [], timedOut: [], unfinished: [], aborted: false, elapsedMs: 1500 };

function run(isTTY: boolean, extra: Partial<Parameters<typeof createProgress>[0]> = {}) {
  const out: string[] = [];
  let t = 0;
  const p = createProgress({ write: (s) => out.push(s), isTTY, now: () => (t += 1000), ...extra });
  p.plan(plan);
  for (const { ref, action } of plan) {
    p.applied(ref, action, 'applying');
    p.applied(ref, action, 'done');
  }
  const updates = states([
    [
      [ns, 'ready', 'Active'],
      [db, 'waiting', 'no ready endpoints'],
      [api, 'waiting', '0/5 ready'],
    ],
    [[api, 'waiting', '3/5 ready; 2 ContainerCreating']],
    [[api, 'waiting', '3/5 ready; 2 ContainerCreating']],
    [[db, 'ready', '1 ready endpoint']],
    [[api, 'ready', '5/5 ready']],
  ]);
  for (const u of updates) p.update(u);
  p.finish({ applied: plan, wait: successWait, elapsedMs: 2345 });
  return out;
}

describe('plain progress (CI)', () => {
  it('prints one line per change, no ANSI, then the summary', () => {
    expect(run(false).join('')).toBe(
      [
        'Namespace/prod: unchanged',
        'prod/Service/my-database: created',
        'prod/ReplicaSet/api: updated',
        'prod/Pod/old: deleted',
        'Namespace/prod: ready',
        'prod/Service/my-database: no ready endpoints',
        'prod/ReplicaSet/api: 0/5 ready',
        'prod/ReplicaSet/api: 3/5 ready; 2 ContainerCreating',
        'prod/Service/my-database: ready',
        'prod/ReplicaSet/api: ready',
        'Apply complete: 1 created, 1 updated, 1 deleted; all ready in 2.3s.',
        '',
      ].join('\n'),
    );
  });

  it('reports a failure with its reason, indented across lines, and what was not applied', () => {
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), isTTY: false });
    p.applied(db, 'create', 'done');
    p.applied(api, 'create', 'done');
    p.applied(old, 'create', 'failed', 'pods "old" is forbidden: exceeded quota');
    const failure = 'pod api-x7k2p: container api: CrashLoopBackOff, last exit code 1 (Error), 3 restarts\nlast log lines (api-x7k2p/api, previous run):\n  panic: no DATABASE_URL';
    for (const u of states([[[db, 'waiting', 'no ready endpoints'], [api, 'waiting', '0/2 ready']], [[api, 'failed', '0/2 ready', failure], [db, 'unfinished', 'no ready endpoints']]])) p.update(u);
    const wait: WaitResult = {
      ready: [],
      failed: [{ ref: api, reason: failure }],
      timedOut: [],
      unfinished: [{ ref: db, detail: 'no ready endpoints' }],
      aborted: false,
      elapsedMs: 900,
    };
    p.finish({
      applied: [
        { ref: db, action: 'create' },
        { ref: api, action: 'create' },
      ],
      notApplied: [
        { ref: old, action: 'create', error: 'pods "old" is forbidden: exceeded quota' },
        { ref: ns, action: 'update' },
      ],
      wait,
      elapsedMs: 1234,
    });
    expect(out.join('')).toBe(
      [
        'prod/Service/my-database: created',
        'prod/ReplicaSet/api: created',
        'prod/Pod/old: create failed: pods "old" is forbidden: exceeded quota',
        'prod/Service/my-database: no ready endpoints',
        'prod/ReplicaSet/api: 0/2 ready',
        'prod/ReplicaSet/api: failed: pod api-x7k2p: container api: CrashLoopBackOff, last exit code 1 (Error), 3 restarts',
        '    last log lines (api-x7k2p/api, previous run):',
        '      panic: no DATABASE_URL',
        'Apply failed after 1.2s.',
        '  Applied (2 of 4): 2 created',
        '    prod/Service/my-database  created, not ready',
        '    prod/ReplicaSet/api       created, failed',
        '  Not applied (2):',
        '    prod/Pod/old              create failed: pods "old" is forbidden: exceeded quota',
        '    Namespace/prod            update: not attempted',
        '  Reasons:',
        '    prod/ReplicaSet/api: pod api-x7k2p: container api: CrashLoopBackOff, last exit code 1 (Error), 3 restarts',
        '      last log lines (api-x7k2p/api, previous run):',
        '        panic: no DATABASE_URL',
        '    prod/Service/my-database: not ready yet: no ready endpoints',
        '',
      ].join('\n'),
    );
  });
});

/** A small terminal: the text left on screen after cursor-up (F), clear-line (2K), clear-below (J). */
function screen(output: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  const re = /\x1b\[(\d*)([A-Za-z])|\r|\n|[^\x1b\r\n]+/g;
  for (const m of output.matchAll(re)) {
    const tok = m[0];
    if (m[2] === 'F') row = Math.max(0, row - Number(m[1] || 1));
    else if (m[2] === 'K') rows[row] = '';
    else if (m[2] === 'J') {
      rows.length = row + 1;
      rows[row] = '';
    }
    else if (m[2]) continue; // colours
    else if (tok === '\r') continue;
    else if (tok === '\n') {
      row++;
      if (rows.length <= row) rows.push('');
    } else rows[row] = (rows[row] ?? '') + tok;
  }
  while (rows.length > 0 && rows.at(-1) === '') rows.pop();
  return rows;
}

describe('TTY progress', () => {
  it('redraws the block in place with cursor moves, spinner and marks, in colour', () => {
    const chunks = run(true, { columns: 80 });
    const out = chunks.join('');
    expect(out).toMatch(/\x1b\[\d+F/); // cursor up to the block's first line
    expect(out).toContain('\x1b[2K'); // clear line
    expect(out).toContain('\x1b[J'); // clear below
    expect(out).toMatch(/[◐◓◑◒]/);
    expect(out).toContain('\x1b[32m✓\x1b[0m');
    expect(out).toContain('3/5 ready; 2 ContainerCreating');
    const strip = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]|\r/g, '');
    const nsLines = strip(out)
      .split('\n')
      .filter((l) => l.includes('Namespace/prod'));
    expect(nsLines.slice(0, 2)).toEqual(['  · Namespace/prod            pending', '  ◑ Namespace/prod            checking…']);
    expect(nsLines.at(-1)).toBe('  ✓ Namespace/prod            unchanged');
    // What the terminal shows at the end: each line once, every one done, then the summary.
    expect(screen(out)).toEqual([
      '  ✓ Namespace/prod            unchanged',
      '  ✓ prod/Service/my-database  created',
      '  ✓ prod/ReplicaSet/api       updated',
      '  ✓ prod/Pod/old              deleted',
      'Apply complete: 1 created, 1 updated, 1 deleted; all ready in 2.3s.',
    ]);
    // And midway, the live view as in the issue.
    const midway = chunks.findIndex((c) => c.includes('3/5 ready'));
    expect(screen(chunks.slice(0, midway + 1).join(''))).toEqual([
      '  ✓ Namespace/prod            unchanged',
      expect.stringMatching(/^ {2}[◐◓◑◒] prod\/Service\/my-database  no ready endpoints$/),
      expect.stringMatching(/^ {2}[◐◓◑◒] prod\/ReplicaSet\/api       3\/5 ready; 2 ContainerCreating$/),
      '  ✓ prod/Pod/old              deleted',
    ]);
  });

  it('draws at most once per interval: updates in between are coalesced into one timer', async () => {
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), isTTY: true, color: false, now: () => 0, intervalMs: 100_000 });
    p.plan(plan);
    const first = out.length;
    for (const { ref, action } of plan) p.applied(ref, action, 'done');
    expect(out.length).toBe(first); // throttled: nothing drawn yet
    p.finish({ applied: plan, elapsedMs: 10 });
    const text = out.join('');
    expect(text).toContain('  ✓ prod/Pod/old              deleted');
    expect(text.endsWith('Apply complete: 1 created, 1 updated, 1 deleted.\n')).toBe(true);
    expect(text).not.toContain('\x1b[32m');
  });

  it('cuts long lines to the terminal width and keeps the live block within its height', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ write: (s) => out.push(s), isTTY: true, color: false, columns: 50, rows: 6, now: () => (t += 1000) });
    const pods = Array.from({ length: 8 }, (_, i): ObjectRef => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'p', name: `w${i}` }));
    p.plan(pods.map((ref) => ({ ref, action: 'create' })));
    p.update(states([pods.map((ref): [ObjectRef, ObjectStatus, string] => [ref, 'waiting', 'Running, 0/1 containers ready; Readiness probe failed: HTTP probe failed with statuscode: 503'])])[0]!);
    const frame = out.at(-1)!.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    const lines = frame.split('\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe('  … 5 more');
    for (const l of lines) expect(l.length).toBeLessThan(50);
    expect(lines[0]).toMatch(/^ {2}[◐◓◑◒] p\/Pod\/w0  Running, 0\/1 containers ready; Rea…$/);
    p.stop();
  });
});

describe('summary', () => {
  it('success, with and without a wait, and with nothing to do', () => {
    expect(formatSummary({ applied: plan, wait: successWait, elapsedMs: 2345 })).toBe('Apply complete: 1 created, 1 updated, 1 deleted; all ready in 2.3s.\n');
    expect(formatSummary({ applied: [{ ref: db, action: 'create' }], elapsedMs: 10 })).toBe('Apply complete: 1 created.\n');
    expect(formatSummary({ applied: [{ ref: ns, action: 'no-op' }], wait: { ...successWait, ready: [ns] }, elapsedMs: 80 })).toBe('Apply complete: no changes; all ready in 80ms.\n');
  });

  it('timeout: the objects not ready and their last detail', () => {
    const wait: WaitResult = {
      ready: [db],
      failed: [],
      timedOut: [{ ref: api, detail: '3/5 ready; pod api-1: Readiness probe failed: HTTP probe failed with statuscode: 503' }],
      unfinished: [],
      aborted: false,
      elapsedMs: 300_000,
    };
    expect(formatSummary({ applied: [{ ref: db, action: 'create' }, { ref: api, action: 'update' }], wait, elapsedMs: 301_200 })).toBe(
      [
        'Apply timed out after 5m01s: 1 object not ready.',
        '  Applied (2): 1 created, 1 updated',
        '    prod/Service/my-database  created, ready',
        '    prod/ReplicaSet/api       updated, not ready (timed out)',
        '  Reasons:',
        '    prod/ReplicaSet/api: 3/5 ready; pod api-1: Readiness probe failed: HTTP probe failed with statuscode: 503',
        '',
      ].join('\n'),
    );
  });

  it('stopped early: interrupted, at the deadline, or with the lock lost, says so first', () => {
    const applied = [{ ref: db, action: 'create' as const }];
    const notApplied = [{ ref: api, action: 'replace' as const, error: 'interrupted (SIGINT) while waiting for prod/Pod/api-x to terminate: node kite-node-2 is NotReady' }];
    const lines = (stopped: Error & { code?: string }) => formatSummary({ applied, notApplied, stopped, elapsedMs: 4200 }).split('\n');
    expect(lines(new InterruptedError('SIGINT'))).toEqual([
      'Apply interrupted after 4.2s.',
      '  Applied (1 of 2): 1 created',
      '    prod/Service/my-database  created',
      '  Not applied (1):',
      '    prod/ReplicaSet/api       replace failed: interrupted (SIGINT) while waiting for prod/Pod/api-x to terminate: node kite-node-2 is NotReady',
      '',
    ]);
    expect(lines(new DeadlineExceededError(4000))[0]).toBe('Apply timed out after 4.2s: the --timeout of 4 s passed.');
    expect(lines(Object.assign(new Error('lost the lock of stack shop (Lease default/kite-lock-shop): it is now held by bob'), { code: 'lock-lost' }))[0]).toBe(
      'Apply stopped after 4.2s: lost the lock of stack shop (Lease default/kite-lock-shop): it is now held by bob.',
    );
    // Stopped with nothing left undone is still not "complete".
    expect(formatSummary({ applied, stopped: new InterruptedError('SIGTERM'), elapsedMs: 10 })).toMatch(/^Apply interrupted after 10ms\./);
  });

  it('a step that waits says for what: a plain line per new reason, the reason beside the object on a terminal', () => {
    const plain: string[] = [];
    const p = createProgress({ write: (t) => plain.push(t), isTTY: false });
    p.plan([{ ref: api, action: 'replace' }]);
    p.applied(api, 'replace', 'applying');
    for (const m of ['waiting for prod/Pod/api-x to terminate: node kite-node-2 is NotReady', 'waiting for prod/Pod/api-x to terminate: node kite-node-2 is NotReady', 'waiting for prod/Pod/api-y to terminate']) p.applied(api, 'replace', 'waiting', m);
    expect(plain.join('')).toBe('prod/ReplicaSet/api: waiting for prod/Pod/api-x to terminate: node kite-node-2 is NotReady\nprod/ReplicaSet/api: waiting for prod/Pod/api-y to terminate\n');
    const tty: string[] = [];
    const t = createProgress({ write: (x) => tty.push(x), isTTY: true, color: false, columns: 200, now: () => 0 });
    t.plan([{ ref: api, action: 'replace' }]);
    t.applied(api, 'replace', 'waiting', 'waiting for prod/Pod/api-x to terminate: node kite-node-2 is NotReady');
    t.stop();
    expect(tty.join('')).toMatch(/prod\/ReplicaSet\/api  replacing: waiting for prod\/Pod\/api-x to terminate: node kite-node-2 is NotReady/);
  });

  it('destroy says destroy, and lists what it kept and why', () => {
    const kept = [{ ref: { apiVersion: 'v1', kind: 'Namespace', name: 'prod' }, reason: 'it holds 1 object kite did not create: prod/ConfigMap/x; deleting it would delete them' }];
    expect(formatSummary({ operation: 'destroy', applied: [{ ref: db, action: 'delete' }, { ref: api, action: 'delete' }], kept, elapsedMs: 40 })).toBe(
      [
        'Destroy complete: 2 deleted, 1 kept.',
        '  Kept (1):',
        '    Namespace/prod: it holds 1 object kite did not create: prod/ConfigMap/x; deleting it would delete them',
        '',
      ].join('\n'),
    );
    expect(formatSummary({ operation: 'destroy', applied: [{ ref: db, action: 'delete' }], notApplied: [{ ref: api, action: 'delete', error: 'forbidden' }], elapsedMs: 40 })).toBe(
      [
        'Destroy failed after 40ms.',
        '  Deleted (1 of 2): 1 deleted',
        '    prod/Service/my-database  deleted',
        '  Not deleted (1):',
        '    prod/ReplicaSet/api       delete failed: forbidden',
        '',
      ].join('\n'),
    );
  });

  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(999), formatDuration(2345), formatDuration(59_949), formatDuration(65_000)]).toEqual(['0ms', '999ms', '2.3s', '59.9s', '1m05s']);
  });
});
