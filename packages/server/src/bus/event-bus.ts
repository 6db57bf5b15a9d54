import { newId } from '../core/ids.js';
import type { AnyEvent, CallsightEvent, EventType, PublishInput } from './event-map.js';

export type EventHandler = (event: AnyEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /**
   * Work-queue group. Handlers sharing a group name get each event once across
   * all processes (durable, at-least-once: a throwing handler sees the event again).
   * Without a group every process gets every event (for fan-out to WebSockets).
   */
  group?: string;
  /** Type prefixes to receive, e.g. ['call.', 'routing.offered']. Empty = all. */
  types?: string[];
}

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface EventBus {
  readonly kind: 'memory' | 'nats';
  publish<T extends EventType>(input: PublishInput<T>): Promise<CallsightEvent<T>>;
  /**
   * Publishes several events as one: one audit-log append and, on NATS, every publish
   * sent at once and their acknowledgements awaited together. Resolves once all are
   * stored; subscribers see them in the given order, like the same publishes one by one.
   */
  publishMany(inputs: ReadonlyArray<PublishInput<EventType>>): Promise<AnyEvent[]>;
  subscribe(opts: SubscribeOptions, handler: EventHandler): Promise<Subscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where published events are appended before delivery: the audit log. */
export interface EventSink {
  append(event: AnyEvent): Promise<void>;
  appendMany(events: AnyEvent[]): Promise<void>;
}

/** Gives an event its id and time unless the publisher chose them (a retried publish keeps its id). */
export const stamp = <T extends EventType>(input: PublishInput<T>): CallsightEvent<T> =>
  ({ ...input, id: input.id ?? newId('evt'), time: input.time ?? Date.now() }) as CallsightEvent<T>;

export interface BusMetrics {
  published(type: string): void;
  delivered(type: string, latencyMs: number): void;
  failed(type: string): void;
}
