import { EventEmitter } from 'node:events';

/**
 * An event map: each event's listener arguments, as a tuple (`ended: [cause: string]`)
 * or as a listener signature (`request: (req: IncomingRequest) => void`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventMap<E> = { [K in keyof E]: unknown[] | ((...args: any[]) => void) };

type Args<T> = T extends (...args: infer A) => void ? A : T extends unknown[] ? T : never;
export type Listener<T> = (...args: Args<T>) => void;

type ListenerErrorHandler = (err: unknown, event: string, emitter: string) => void;
let onListenerError: ListenerErrorHandler = (err, event, emitter) =>
  process.emitWarning(`a "${event}" listener of ${emitter} threw: ${err instanceof Error ? err.stack : String(err)}`);

/** Where `safeEmit` reports a throwing listener (the server points it at its logger at start). */
export function setListenerErrorHandler(handler: ListenerErrorHandler): void {
  onListenerError = handler;
}

/**
 * The emitter of server objects (legs, calls' media, dialogs, transactions): typed
 * `on`/`once`/`off`, and `emit` only from inside, so nobody fakes an object's events
 * from outside. `safeEmit` is for loops that must go on whatever a listener does —
 * a media tick, a SIP transaction — as mediasoup's EnhancedEventEmitter.safeEmit.
 */
export class TypedEmitter<E extends EventMap<E>> {
  private readonly emitter = new EventEmitter();

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  listenerCount<K extends keyof E & string>(event: K): number {
    return this.emitter.listenerCount(event);
  }

  removeAllListeners<K extends keyof E & string>(event?: K): this {
    if (event === undefined) this.emitter.removeAllListeners();
    else this.emitter.removeAllListeners(event);
    return this;
  }

  /** Calls the listeners in order; one that throws stops the rest and throws here. */
  protected emit<K extends keyof E & string>(event: K, ...args: Args<E[K]>): boolean {
    return this.emitter.emit(event, ...args);
  }

  /** Like `emit`, but every listener runs and one that throws is reported, not thrown into the caller. */
  protected safeEmit<K extends keyof E & string>(event: K, ...args: Args<E[K]>): boolean {
    // rawListeners: a once() wrapper removes itself when called.
    const listeners = this.emitter.rawListeners(event) as ((...a: unknown[]) => void)[];
    for (const listener of listeners) {
      try {
        listener.apply(this, args);
      } catch (err) {
        onListenerError(err, event, this.constructor.name);
      }
    }
    return listeners.length > 0;
  }
}
