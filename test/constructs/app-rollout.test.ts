// App({ rollout }): the settings go on the ReplicaSet as the annotations apply's rollout reads.
import { describe, expect, it } from 'vitest';
import { App, Namespace, Stack } from '../../lib/constructs/index.ts';
import { MAX_SURGE_ANNOTATION, MAX_UNAVAILABLE_ANNOTATION, PROGRESS_DEADLINE_ANNOTATION, TEMPLATE_HASH_LABEL } from '../../lib/plan/rollout/template-hash.ts';
import { synthStack } from '../../lib/synth/synth-stack.ts';

function rsOf(stack: Stack): { metadata: { annotations?: Record<string, string> }; spec: { template: { metadata: { labels: Record<string, string> } } } } {
  const raw = synthStack(stack).raws.find((r) => (r.value as { kind: string }).kind === 'ReplicaSet')!;
  return raw.value as ReturnType<typeof rsOf>;
}

describe('App rollout', () => {
  it('writes maxSurge, maxUnavailable and the progress deadline as the annotations the rollout reads', () => {
    const stack = new Stack('s');
    new App(new Namespace(stack, 'p'), 'api', { image: 'x:1', rollout: { maxSurge: 1, maxUnavailable: '50%', progressDeadlineSeconds: 120 } });
    expect(rsOf(stack).metadata.annotations).toEqual({ [MAX_SURGE_ANNOTATION]: '1', [MAX_UNAVAILABLE_ANNOTATION]: '50%', [PROGRESS_DEADLINE_ANNOTATION]: '120' });
  });

  it('writes none without rollout, and synth output carries no template hash (kite stamps it at plan time)', () => {
    const stack = new Stack('s');
    new App(new Namespace(stack, 'p'), 'api', { image: 'x:1' });
    const rs = rsOf(stack);
    expect(rs.metadata.annotations).toBeUndefined();
    expect(rs.spec.template.metadata.labels[TEMPLATE_HASH_LABEL]).toBeUndefined();
  });
});
