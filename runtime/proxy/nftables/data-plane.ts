/**
 * The kernel data plane: the service table as nftables DNAT rules (ruleset.ts), written with
 * `nft -f` on every change and removed on stop. No sockets of ours carry the traffic, so there
 * are no bind failures; a failed `nft` run is kept as the failure of every Service.
 */
import type { RuntimeNetwork } from '../../network.ts';
import type { BindFailures, DataPlane } from '../data-plane.ts';
import type { ServicePortEntry } from '../service-table.ts';
import { runNft } from './detect.ts';
import { renderDelete, renderRuleset } from './ruleset.ts';

export class NftablesDataPlane implements DataPlane {
  readonly mode = 'nftables' as const;
  onFailuresChanged?: () => void;
  private last = '';
  private error: { services: string[]; message: string } | undefined;
  private stopped = false;

  constructor(
    private readonly network: RuntimeNetwork,
    private readonly nft: string,
  ) {}

  async apply(table: readonly ServicePortEntry[]): Promise<void> {
    if (this.stopped) return;
    const rules = renderRuleset(this.network.slot, table);
    if (rules === this.last && !this.error) return;
    try {
      await runNft(this.nft, ['-f', '-'], rules);
      this.last = rules;
      this.error = undefined;
    } catch (e) {
      this.error = { services: [...new Set(table.map((t) => `${t.namespace}/${t.service}`))], message: (e as Error).message };
    }
  }

  failures(): BindFailures {
    return new Map((this.error?.services ?? []).map((s) => [s, [this.error!.message]]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await runNft(this.nft, ['-f', '-'], renderDelete(this.network.slot)).catch(() => {});
  }
}
