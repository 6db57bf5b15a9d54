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
import { Fanout, type Route } from './fanout.js';
import { consumerFilter, sameFilter, type ConsumerFilter } from './subject-filter.js';

const SUBJECT_ROOT = 'cs.ev';

interface LocalRoute extends Route {
  /** This handler's queue: the last event handed to it settles after the ones before. */
  tail: Promise<unknown>;
}

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
  private readonly local = new Fanout<LocalRoute>();
  private shared: { sub: NatsSubscription; loop: Promise<void> } | null = null;
  private readonly root: string;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly opts: NatsBusOptions,
    private readonly sink: EventSink | null,
    private readonly log: Logger,
    private readonly metrics?: BusMetrics,
  ) {
    this.root = `${SUBJECT_ROOT}.${opts.stream}`;
  }

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
    return `${this.root}.${event.tenantId}.${event.type}`;
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

  /**
   * Group-less subscriptions of this process share one core-NATS subscription: each message
   * is parsed once (and not at all when no subscription wants its type, read from the
   * subject) and handed to the matching handlers. Each handler has its own queue, so it
   * sees events in order and a slow one does not hold the others up.
   */
  private async subscribeAll(types: string[] | undefined, handler: EventHandler): Promise<Subscription> {
    const route: LocalRoute = { types, handler, tail: Promise.resolve() };
    this.local.add(route);
    if (!this.shared) {
      const sub: NatsSubscription = this.nc.subscribe(`${this.root}.>`);
      const loop = (async () => {
        for await (const msg of sub) {
          const routes = this.local.matching(this.typeOf(msg.subject));
          if (routes.length === 0) continue;
          const event = parse(msg.data);
          if (!event) continue;
          // A handler unsubscribed meanwhile gets none of what was still queued for it.
          for (const r of routes) r.tail = r.tail.then(() => (this.local.has(r) ? this.run(r.handler, event) : undefined));
        }
      })().catch((err) => this.log.error({ err }, 'bus subscription ended with an error'));
      this.shared = { sub, loop };
      // The server has the interest once this returns, so an event published next reaches it.
      await this.nc.flush();
    }
    return this.track(async () => {
      this.local.delete(route);
      await route.tail;
    });
  }

  /** The event type from a subject `cs.ev.<stream>.<tenant>.<type>`. */
  private typeOf(subject: string): string {
    return subject.slice(subject.indexOf('.', this.root.length + 1) + 1);
  }

  private async subscribeGroup(group: string, types: string[] | undefined, handler: EventHandler): Promise<Subscription> {
    const durable = group.replace(/[^A-Za-z0-9_-]/g, '_');
    await this.ensureConsumer(durable, consumerFilter(this.root, types, this.multiFilter()));
    const consumer = await this.js.consumers.get(this.opts.stream, durable);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: 512 });
    const loop = (async () => {
      for await (const msg of messages) {
        // Where the server cannot filter on all of a group's types, the rest are dropped here, before parsing.
        const event = typeMatches(this.typeOf(msg.subject), types) ? parse(msg.data) : null;
        if (!event) {
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

  /** JetStream takes several filter subjects per consumer from 2.10 on; before that, one. */
  private multiFilter(): boolean {
    const [major = 0, minor = 0] = (this.nc.info?.version ?? '0.0').split('.').map(Number);
    return major > 2 || (major === 2 && minor >= 10);
  }

  /**
   * Creates the group's durable consumer, or brings an existing one's filter to what the
   * group now asks for. A server that refuses the edit gets the consumer replaced, starting
   * after the last event it had acknowledged, so nothing is skipped (some may come again).
   */
  private async ensureConsumer(durable: string, filter: ConsumerFilter): Promise<void> {
    const { stream } = this.opts;
    const info = await this.jsm.consumers.info(stream, durable).catch(() => null);
    const base = { durable_name: durable, ack_policy: AckPolicy.Explicit, ack_wait: nanos(30_000), max_deliver: 10 };
    if (!info) {
      await this.jsm.consumers.add(stream, { ...base, deliver_policy: DeliverPolicy.New, ...filter });
      return;
    }
    const current = { filter_subject: info.config.filter_subject, filter_subjects: info.config.filter_subjects };
    if (sameFilter(current, filter)) return;
    try {
      await this.jsm.consumers.update(stream, durable, { filter_subject: filter.filter_subject ?? '', ...(filter.filter_subjects ? { filter_subjects: filter.filter_subjects } : {}) });
    } catch (err) {
      this.log.info({ err, durable }, 'bus consumer filter changed: replacing the consumer');
      await this.jsm.consumers.delete(stream, durable);
      await this.jsm.consumers.add(stream, { ...base, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: info.ack_floor.stream_seq + 1, ...filter });
    }
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
    if (this.shared) {
      this.shared.sub.unsubscribe();
      await this.shared.loop;
    }
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
