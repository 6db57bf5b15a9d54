import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DeflectionTarget } from './deflection-tables.js';

export type DeflectionStep = 'offered' | 'sms_sent' | 'sms_failed' | 'opened' | 'terminated' | 'resumed' | 'completed';

/**
 * Deflection counters for Prometheus, counted by the process that did the step
 * (so several processes sum up, never count one step twice). The rate is
 * opened / offered; `GET /api/deflection/stats` computes it from the store.
 */
export class DeflectionMetrics {
  private readonly steps: Counter<'step' | 'target' | 'direction'>;
  private readonly callbacks: Counter<'state'>;

  constructor(registry: Registry) {
    this.steps = new Counter({
      name: 'callsight_deflection_steps_total',
      help: 'Deflection steps (offered, sms_sent, sms_failed, opened, terminated, resumed, completed) by target and direction',
      labelNames: ['step', 'target', 'direction'],
      registers: [registry],
    });
    this.callbacks = new Counter({
      name: 'callsight_callbacks_total',
      help: 'Callbacks by state reached (booked, cancelled, dialing, connected, failed)',
      labelNames: ['state'],
      registers: [registry],
    });
  }

  step(step: DeflectionStep, target: DeflectionTarget, direction: 'inbound' | 'outbound'): void {
    this.steps.inc({ step, target, direction });
  }

  callback(state: 'booked' | 'cancelled' | 'dialing' | 'connected' | 'failed'): void {
    this.callbacks.inc({ state });
  }
}
