/** Cluster DNS's state as `kite up` prints it and `kite status` shows it (no import of the server: the CLI loads this at start). */

export interface ClusterDnsStatus {
  domain: string;
  /** `<ip>:<port>` while serving. */
  listening?: string;
  /** Why DNS is off, or what is wrong while it serves. */
  problem?: string;
}

export function describeClusterDns(s: ClusterDnsStatus): string {
  if (!s.listening) return `off (${s.problem ?? 'not started'}); pods get the host's resolv.conf`;
  return `${s.listening}, domain ${s.domain}${s.problem ? ` (warning: ${s.problem})` : ''}`;
}
