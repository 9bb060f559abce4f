/**
 * A part of the local control plane that runs on its own beside the API server — a
 * controller, the scheduler, a node's kubelet, later the service proxy and cluster DNS — and
 * reaches the cluster only through runtime/client. runtime.ts keeps one list of them.
 */
export interface Component {
  readonly name: string;
  /** Starts it; a kubelet's start resolves once its Node is registered (a controller returns itself). */
  start(): this | Promise<void>;
  /** Stops it; resolves once the work in progress has finished. */
  stop(): void | Promise<void>;
}

/** Starts the components in order; the result stops the ones started, in reverse order. */
export async function startComponents(components: readonly Component[]): Promise<() => Promise<void>> {
  const started: Component[] = [];
  const stop = async () => {
    for (const c of started.splice(0).reverse()) await c.stop();
  };
  try {
    for (const c of components) {
      await c.start();
      started.push(c);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}
