/**
 * Legacy `auth-provider` users. Kubernetes clients removed the gcp and azure providers (1.26) in
 * favour of exec plugins; oidc still exists in client-go, but refreshing its token means a round
 * trip to the identity provider that kite does not make. So: an oidc id-token that is still
 * valid is used as the bearer token; everything else is a clear error naming the exec plugin
 * that replaces it.
 */
import { KubeconfigError } from './errors.ts';

/** The bearer token an auth-provider stanza gives now, or a KubeconfigError saying what to use instead. */
export function authProviderToken(raw: unknown, owner: string, where: string, now: number = Date.now()): string {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as { name?: unknown; config?: Record<string, unknown> };
  const name = typeof p.name === 'string' ? p.name : '';
  const fail = (why: string) => new KubeconfigError(`${owner} uses the ${JSON.stringify(name)} auth-provider, ${why}`, where);
  switch (name) {
    case 'gcp':
      throw fail(
        'which Kubernetes clients no longer support (removed in 1.26): install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` again, which writes an exec credential plugin in its place',
      );
    case 'azure':
      throw fail('which Kubernetes clients no longer support (removed in 1.26): run `kubelogin convert-kubeconfig`, which writes an exec credential plugin in its place');
    case 'oidc':
      return oidcToken(p.config ?? {}, fail, now);
    default:
      throw fail('which kite does not support: use an exec credential plugin instead');
  }
}

const OIDC_INSTEAD = 'kite does not refresh oidc tokens: refresh it with kubectl, or switch to an exec credential plugin such as kubelogin (`kubectl oidc-login`)';

function oidcToken(config: Record<string, unknown>, fail: (why: string) => KubeconfigError, now: number): string {
  const token = config['id-token'];
  if (typeof token !== 'string' || token === '') throw fail(`but has no id-token; ${OIDC_INSTEAD}`);
  const exp = jwtExpiry(token);
  if (exp === null) throw fail(`but its id-token is not a JWT; ${OIDC_INSTEAD}`);
  if (exp !== undefined && exp <= now) throw fail(`but its id-token expired at ${new Date(exp).toISOString()}; ${OIDC_INSTEAD}`);
  return token;
}

/** A JWT's `exp` in milliseconds; undefined if it has none, null if the token is not a JWT. */
function jwtExpiry(token: string): number | undefined | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return null;
  }
}
