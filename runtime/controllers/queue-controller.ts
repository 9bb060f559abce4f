import type { ApiClient } from '../client/client.ts';
import { InformerFactory } from '../client/informer-factory.ts';
import { WorkQueue } from '../client/workqueue.ts';
import type { Component } from '../component.ts';
import type { ControllerOptions } from './shared.ts';

/**
 * client-go's controller shape: informer handlers only enqueue keys, one work queue drives an
 * idempotent `sync(key)`. The informers are shared when the runtime passes a factory (then the
 * runtime starts and stops them), private otherwise.
 */
export abstract class QueueController implements Component {
  protected readonly informers: InformerFactory;
  protected readonly queue: WorkQueue;
  private readonly ownsInformers: boolean;

  protected constructor(
    readonly name: string,
    client: ApiClient,
    opts: ControllerOptions,
    defaultWorkers: number,
  ) {
    this.ownsInformers = !opts.informers;
    this.informers = opts.informers ?? new InformerFactory(client);
    this.queue = new WorkQueue(name, (key) => this.sync(key), { workers: opts.workers ?? defaultWorkers, onError: opts.onError });
  }

  abstract sync(key: string): Promise<void>;

  start(): this {
    this.informers.start();
    this.queue.start();
    return this;
  }

  async stop(): Promise<void> {
    if (this.ownsInformers) this.informers.stop();
    await this.queue.stop();
  }
}
