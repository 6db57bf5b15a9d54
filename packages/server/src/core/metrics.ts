import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BusMetrics } from '../bus/event-bus.js';

/**
 * One registry per server instance (tests run several in one process), exposed
 * at /metrics. Features register their own metrics on `registry`.
 */
export class Metrics implements BusMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'callsight_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly busPublished = new Counter({
    name: 'callsight_bus_events_published_total',
    help: 'Events published on the bus',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly busDelivered = new Histogram({
    name: 'callsight_bus_delivery_latency_seconds',
    help: 'Publish-to-handler latency',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  private readonly busFailed = new Counter({
    name: 'callsight_bus_handler_failures_total',
    help: 'Event handler failures (will be retried)',
    labelNames: ['type'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'callsight_' });
  }

  published(type: string): void {
    this.busPublished.inc({ type });
  }

  delivered(_type: string, latencyMs: number): void {
    this.busDelivered.observe(latencyMs / 1000);
  }

  failed(type: string): void {
    this.busFailed.inc({ type });
  }
}
