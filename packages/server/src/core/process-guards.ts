import type { Logger } from './logger.js';

/**
 * The last line of defence, installed by the program entry (`main`), never by the
 * library: an error no code path handled is logged with what it carried and the
 * process keeps serving. Node's default — exit on the first unhandled rejection —
 * would let one peer's malformed or missing message (a lost ACK, a reset socket)
 * end every call and the HTTP API with it. Each path from the network handles its
 * own errors; this only catches the bug that slipped through, loudly.
 */
export function installProcessGuards(log: Logger): () => void {
  const onRejection = (reason: unknown) => {
    log.error({ err: reason, kind: 'unhandledRejection' }, 'unexpected unhandled rejection (a bug: this path should handle its error); still serving');
  };
  const onException = (err: Error, origin: string) => {
    log.error({ err, kind: origin }, 'unexpected uncaught exception (a bug: this path should handle its error); still serving');
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
