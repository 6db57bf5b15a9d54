import type { Logger } from '../core/logger.js';
import { stamp, type BusMetrics, type EventBus, type EventHandler, type EventSink, type SubscribeOptions, type Subscription } from './event-bus.js';
import type { AnyEvent, CallsightEvent, EventType, PublishInput } from './event-map.js';
import { Fanout, type Route } from './fanout.js';

const MAX_ATTEMPTS = 5;

/**
 * One-process bus. Groups are irrelevant with one process (each group has one
 * member), so every subscription gets every matching event. Handlers run after
 * publish returns, in order per subscription, with retries like the NATS adapter's
 * redelivery so handler code behaves the same on both.
 */
export class MemoryBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly subs = new Fanout<Route>();
  private closed = false;

  constructor(
    private readonly sink: EventSink | null,
    private readonly log: Logger,
    private readonly metrics?: BusMetrics,
  ) {}

  async publish<T extends EventType>(input: PublishInput<T>): Promise<CallsightEvent<T>> {
    const event = stamp(input);
    if (this.sink) await this.sink.append(event as AnyEvent);
    this.dispatch(event as AnyEvent);
    return event;
  }

  async publishMany(inputs: ReadonlyArray<PublishInput<EventType>>): Promise<AnyEvent[]> {
    const events = inputs.map((i) => stamp(i) as AnyEvent);
    if (events.length === 0) return events;
    if (this.sink) await this.sink.appendMany(events);
    for (const event of events) this.dispatch(event);
    return events;
  }

  private dispatch(event: AnyEvent): void {
    this.metrics?.published(event.type);
    for (const sub of this.subs.matching(event.type)) queueMicrotask(() => void this.deliver(sub, event, 1));
  }

  private async deliver(sub: Route, event: AnyEvent, attempt: number): Promise<void> {
    if (this.closed || !this.subs.has(sub)) return;
    try {
      await sub.handler(event);
      this.metrics?.delivered(event.type, Date.now() - event.time);
    } catch (err) {
      this.metrics?.failed(event.type);
      this.log.warn({ err, eventId: event.id, type: event.type, attempt }, 'event handler failed');
      if (attempt < MAX_ATTEMPTS) setTimeout(() => void this.deliver(sub, event, attempt + 1), 50 * 2 ** attempt).unref();
    }
  }

  async subscribe(opts: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    const sub: Route = { types: opts.types, handler };
    this.subs.add(sub);
    return { unsubscribe: async () => void this.subs.delete(sub) };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('bus closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
  }
}
