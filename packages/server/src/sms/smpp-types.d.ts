/** The part of the untyped `smpp` package (node-smpp 0.5) callsight uses. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    response(fields?: Record<string, unknown>): Pdu;
  }

  export interface Session extends EventEmitter {
    send(pdu: Pdu, responseCallback?: (pdu: Pdu) => void): boolean;
    bind_transceiver(fields: Record<string, unknown>, cb?: (pdu: Pdu) => void): boolean;
    submit_sm(fields: Record<string, unknown>, cb?: (pdu: Pdu) => void): boolean;
    deliver_sm(fields: Record<string, unknown>, cb?: (pdu: Pdu) => void): boolean;
    enquire_link(fields?: Record<string, unknown>, cb?: (pdu: Pdu) => void): boolean;
    unbind(fields?: Record<string, unknown>, cb?: (pdu: Pdu) => void): boolean;
    close(cb?: () => void): void;
    destroy(cb?: () => void): void;
    pause(): void;
    resume(): void;
  }

  export interface Server extends EventEmitter {
    listen(port: number, host: string, cb?: () => void): Server;
    address(): { port: number } | string | null;
    close(cb?: () => void): void;
  }

  export function connect(options: { url: string; auto_enquire_link_period?: number; connectTimeout?: number }, cb?: () => void): Session;
  export function createServer(listener: (session: Session) => void): Server;

  const smpp: { connect: typeof connect; createServer: typeof createServer; ESME_ROK: number; ESME_RBINDFAIL: number };
  export default smpp;
}
