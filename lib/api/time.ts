/**
 * How Kubernetes writes instants (k8s.io/apimachinery/pkg/apis/meta/v1 time.go, micro_time.go):
 * metav1.Time is RFC 3339 to the second, metav1.MicroTime to the microsecond, and the
 * EndpointSlice/Endpoints `last-change-trigger-time` annotation is Go's RFC3339Nano (trailing
 * zeros of the fraction dropped).
 */

let lastSecond = NaN;
let lastTime = '';

/** metav1.Time: `2026-11-25T21:00:00Z`. (A busy runtime stamps thousands of objects a second: the last one is kept.) */
export function formatTime(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond) {
    lastTime = `${d.toISOString().slice(0, -5)}Z`;
    lastSecond = second;
  }
  return lastTime;
}

/** metav1.MicroTime: `2026-11-25T21:00:00.123000Z`. */
export function formatMicroTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** time.RFC3339Nano: `2026-11-25T21:00:00.12Z`, `2026-11-25T21:00:00Z`. */
export function formatRFC3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

/** The kubelet's log timestamps (timeFormatOut): RFC 3339 with 9 fraction digits, `2026-12-07T12:00:00.123000000Z`. */
export function formatFixedNanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** A duration as Go's time.Duration.String prints whole milliseconds: `250ms`, `1.5s`, `10s`, `1m20s`, `5m0s`. */
export function formatGoDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const secs = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}
