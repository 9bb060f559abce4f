import type { LoadResult } from '../synth/manifest.ts';
import type { TargetFlags } from '../../commands/target.ts';
export async function loadFromCluster(_o: { namespace: string; selector: string | undefined; target: TargetFlags; stack: string }): Promise<LoadResult> {
  throw new Error('todo');
}
