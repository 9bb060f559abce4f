/**
 * A credential fetched on demand and kept, with client-go's rules: until its expiry (if it has
 * one), or until the server refuses it. Concurrent requests share one fetch, so a plugin that
 * prompts runs once, and a burst of 401s for the same credential refreshes it once.
 */

/** What a request authenticates with, beyond the kubeconfig's static settings. */
export interface Credential {
  token?: string;
  /** A TLS client certificate and key (PEM), e.g. from an exec plugin. */
  cert?: Buffer;
  key?: Buffer;
  /** Milliseconds since the epoch; none: valid until the server refuses it. */
  expiresAt?: number;
}

export class CredentialCache {
  #pending: Promise<Credential> | undefined;
  #value: Credential | undefined;

  constructor(
    private readonly fetch: () => Promise<Credential>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<Credential> {
    const v = this.#value;
    if (v?.expiresAt !== undefined && this.now() >= v.expiresAt) this.#drop();
    this.#pending ??= this.fetch().then(
      (cred) => (this.#value = cred),
      (e: unknown) => {
        this.#pending = undefined;
        throw e;
      },
    );
    return this.#pending;
  }

  /** The server refused `used`: fetch anew next time, unless a newer credential already replaced it. */
  invalidate(used: Credential | undefined): void {
    if (used === this.#value) this.#drop();
  }

  #drop(): void {
    this.#pending = undefined;
    this.#value = undefined;
  }
}
