import {
  AckPolicy,
  DeliverPolicy,
  StorageType,
  connect,
  nanos,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from 'nats';
import type { Logger } from '../core/logger.js';
import { stamp, type BusMetrics, type EventBus, type EventHandler, type EventSink, type SubscribeOptions, type Subscription } from './event-bus.js';
import { typeMatches, type AnyEvent, type CallsightEvent, type EventType, type PublishInput } from './event-map.js';

const SUBJECT_ROOT = 'cs.ev';

export interface NatsBusOptions {
  url: string;
  stream: string;
  /** How long JetStream keeps events for consumers that were away (the audit log keeps them forever). */
  maxAgeMs?: number;
}

/**
 * JetStream-backed bus for several server processes.
 * - Groups are durable pull consumers: each event reaches one member, at least once
 *   (handlers are idempotent: they key their writes on the event id).
 * - Group-less subscriptions use plain core-NATS subscriptions on the stream's
 *   subjects: every process sees every event, which is what WebSocket fan-out needs.
 * - Publishes carry the event id as Nats-Msg-Id so a retried publish is stored once.
 */
export class NatsBus implements EventBus {
  readonly kind = 'nats' as const;
  private readonly closers = new Set<() => Promise<void>>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly opts: NatsBusOptions,
    private readonly sink: EventSink | null,
    private readonly log: Logger,
    private readonly metrics?: BusMetrics,
  ) {}

  static async connect(
    opts: NatsBusOptions,
    sink: EventSink | null,
    log: Logger,
    metrics?: BusMetrics,
  ): Promise<NatsBus> {
    const nc = await connect({ servers: opts.url, name: 'callsight', maxReconnectAttempts: -1 });
    const jsm = await nc.jetstreamManager();
    const config = {
      name: opts.stream,
      subjects: [`${SUBJECT_ROOT}.${opts.stream}.>`],
      storage: StorageType.File,
      max_age: nanos(opts.maxAgeMs ?? 24 * 3600_000),
      duplicate_window: nanos(120_000),
    };
    try {
      await jsm.streams.info(opts.stream);
    } catch {
      await jsm.streams.add(config);
    }
    return new NatsBus(nc, nc.jetstream(), jsm, opts, sink, log, metrics);
  }

  private subject(event: { tenantId: string; type: string }): string {
    return `${SUBJECT_ROOT}.${this.opts.stream}.${event.tenantId}.${event.type}`;
  }

  async publish<T extends EventType>(input: PublishInput<T>): Promise<CallsightEvent<T>> {
    const event = stamp(input);
    if (this.sink) await this.sink.append(event as AnyEvent);
    await this.send(event as AnyEvent);
    return event;
  }

  /**
   * The publishes go out back to back on this one connection, so the stream stores them in
   * the given order, and their acknowledgements are awaited together: a batch costs about one
   * round trip instead of one each. A publish that failed is sent again under its id (the
   * stream stores it once); only then may it land after later events of the same batch.
   */
  async publishMany(inputs: ReadonlyArray<PublishInput<EventType>>): Promise<AnyEvent[]> {
    const events = inputs.map((i) => stamp(i) as AnyEvent);
    if (events.length === 0) return events;
    if (this.sink) await this.sink.appendMany(events);
    const sent = await Promise.allSettled(events.map((e) => this.send(e)));
    const failed = events.filter((_, i) => sent[i]!.status === 'rejected');
    for (const event of failed) await this.send(event);
    return events;
  }

  private async send(event: AnyEvent): Promise<void> {
    await this.js.publish(this.subject(event), JSON.stringify(event), { msgID: event.id });
    this.metrics?.published(event.type);
  }

  async subscribe(opts: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    return opts.group ? this.subscribeGroup(opts.group, opts.types, handler) : this.subscribeAll(opts.types, handler);
  }

  private async run(handler: EventHandler, event: AnyEvent): Promise<boolean> {
    try {
      await handler(event);
      this.metrics?.delivered(event.type, Date.now() - event.time);
      return true;
    } catch (err) {
      this.metrics?.failed(event.type);
      this.log.warn({ err, eventId: event.id, type: event.type }, 'event handler failed');
      return false;
    }
  }

  private async subscribeAll(types: string[] | undefined, handler: EventHandler): Promise<Subscription> {
    const sub: NatsSubscription = this.nc.subscribe(`${SUBJECT_ROOT}.${this.opts.stream}.>`);
    const loop = (async () => {
      for await (const msg of sub) {
        const event = parse(msg.data);
        if (event && typeMatches(event.type, types)) await this.run(handler, event);
      }
    })().catch((err) => this.log.error({ err }, 'bus subscription ended with an error'));
    return this.track(async () => {
      sub.unsubscribe();
      await loop;
    });
  }

  private async subscribeGroup(group: string, types: string[] | undefined, handler: EventHandler): Promise<Subscription> {
    const durable = group.replace(/[^A-Za-z0-9_-]/g, '_');
    try {
      await this.jsm.consumers.info(this.opts.stream, durable);
    } catch {
      await this.jsm.consumers.add(this.opts.stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: `${SUBJECT_ROOT}.${this.opts.stream}.>`,
        ack_wait: nanos(30_000),
        max_deliver: 10,
      });
    }
    const consumer = await this.js.consumers.get(this.opts.stream, durable);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: 512 });
    const loop = (async () => {
      for await (const msg of messages) {
        const event = parse(msg.data);
        if (!event || !typeMatches(event.type, types)) {
          msg.ack();
          continue;
        }
        if (await this.run(handler, event)) msg.ack();
        else msg.nak(Math.min(30_000, 100 * 2 ** msg.info.redeliveryCount));
      }
    })().catch((err) => this.log.error({ err, group }, 'bus consumer ended with an error'));
    return this.track(async () => {
      await messages.close();
      await loop;
    });
  }

  private track(stop: () => Promise<void>): Subscription {
    const closer = async () => {
      this.closers.delete(closer);
      await stop();
    };
    this.closers.add(closer);
    return { unsubscribe: closer };
  }

  async ping(): Promise<void> {
    await this.nc.flush();
  }

  /** For tests and tooling: remove the stream and its consumers. */
  async destroyStream(): Promise<void> {
    await this.jsm.streams.delete(this.opts.stream);
  }

  async close(): Promise<void> {
    for (const close of [...this.closers]) await close().catch(() => {});
    await this.nc.drain().catch(() => {});
  }
}

function parse(data: Uint8Array): AnyEvent | null {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as AnyEvent;
  } catch {
    return null;
  }
}
