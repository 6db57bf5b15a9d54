import type { Logger } from '../../core/logger.js';
import type { TransportLayer } from '../transport/transport-layer.js';
import type { TimerWheel } from './timer-wheel.js';
import type { SipTimers } from './timers.js';

/** What every transaction needs from its surroundings. */
export interface TransactionContext {
  transport: TransportLayer;
  wheel: TimerWheel;
  timers: SipTimers;
  log: Logger;
}

/** Why a client transaction ended without a final response (RFC 3261 17.1.1.2 timer B, 17.1.2.2 timer F). */
export type ClientTransactionFailure = 'timeout' | 'transport';
