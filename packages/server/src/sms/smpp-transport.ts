import { EventEmitter } from 'node:events';
import smpp, { type Pdu, type Session } from 'smpp';
import type { Logger } from '../core/logger.js';
import { parseReceipt, splitSms } from './sms-segments.js';
import { smsErrors } from './sms-errors.js';

export interface SmppTransportOptions {
  /** smpp://system_id:password@host:port */
  url: string;
  log: Logger;
  enquireLinkMs?: number;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long a submit_sm may wait for its response. */
  submitTimeoutMs?: number;
}

export interface SmppTransportEvents {
  /** A mobile-originated message (deliver_sm that is not a receipt). */
  mo: [{ from: string; to: string; text: string }];
  /** A delivery receipt for a message we submitted. */
  receipt: [{ messageId: string; delivered: boolean; stat: string }];
  bound: [];
  unbound: [];
}

/** SMPP 3.4 esm_class bit 2: the deliver_sm carries a delivery receipt. */
const ESM_RECEIPT = 0x04;

/**
 * One bind_transceiver session to an SMSC: submits messages, receives MO and
 * receipts, keeps the link alive with enquire_link and rebinds with backoff
 * when the SMSC goes away. While unbound, `submit` fails at once (the caller
 * decides what a failed SMS means) instead of queueing behind a dead link.
 */
export class SmppTransport extends EventEmitter<SmppTransportEvents> {
  private session: Session | null = null;
  private bound = false;
  private stopped = false;
  private backoff: number;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private ref = Math.floor(Math.random() * 256);
  private readonly creds: { system_id: string; password: string };
  private readonly target: string;

  constructor(private readonly opts: SmppTransportOptions) {
    super();
    const u = new URL(opts.url);
    if (u.protocol !== 'smpp:') throw new Error(`CALLSIGHT_SMPP_URL must be smpp://user:pass@host:port, got ${u.protocol}`);
    this.creds = { system_id: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
    this.target = `smpp://${u.hostname}:${u.port || 2775}`;
    this.backoff = opts.backoffMs ?? 500;
  }

  get isBound(): boolean {
    return this.bound;
  }

  start(): void {
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const s = this.session;
    this.session = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => s.destroy(() => resolve()), 500);
      if (this.bound) s.unbind({}, () => s.close(() => (clearTimeout(t), resolve())));
      else s.destroy(() => (clearTimeout(t), resolve()));
    });
    this.bound = false;
  }

  /** Sends `text`; the message id of every part (one unless it was split). */
  async submit(msg: { from: string; to: string; text: string }): Promise<string[]> {
    const session = this.session;
    if (!session || !this.bound) throw smsErrors.unavailable('not bound to the SMSC');
    this.ref = (this.ref + 1) & 0xff;
    const ids: string[] = [];
    for (const seg of splitSms(msg.text, this.ref)) {
      const pdu = await this.request(session, {
        source_addr: msg.from,
        source_addr_ton: msg.from.startsWith('+') ? 1 : 5,
        source_addr_npi: msg.from.startsWith('+') ? 1 : 0,
        destination_addr: msg.to.replace(/^\+/, ''),
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        registered_delivery: 1,
        short_message: seg.udh ? { udh: seg.udh, message: seg.text } : seg.text,
      });
      if (pdu.command_status !== 0) throw smsErrors.rejected(pdu.command_status);
      ids.push(String(pdu.message_id));
    }
    return ids;
  }

  private request(session: Session, fields: Record<string, unknown>): Promise<Pdu> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(smsErrors.unavailable('the SMSC did not answer submit_sm')), this.opts.submitTimeoutMs ?? 5000);
      const onClose = () => (clearTimeout(timer), reject(smsErrors.unavailable('the SMSC connection closed')));
      session.once('close', onClose);
      session.submit_sm(fields, (pdu) => {
        clearTimeout(timer);
        session.off('close', onClose);
        resolve(pdu);
      });
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const session = smpp.connect({ url: this.target, auto_enquire_link_period: this.opts.enquireLinkMs ?? 30_000 });
    this.session = session;
    session.on('connect', () => {
      session.bind_transceiver(this.creds, (pdu) => {
        if (pdu.command_status !== 0) {
          this.opts.log.warn({ status: pdu.command_status }, 'SMSC refused bind_transceiver');
          session.close();
          return;
        }
        this.bound = true;
        this.backoff = this.opts.backoffMs ?? 500;
        this.emit('bound');
      });
    });
    session.on('deliver_sm', (pdu: Pdu) => {
      session.send(pdu.response());
      this.onDeliver(pdu);
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    // 'error' is always followed by 'close': reconnect happens there, once.
    session.on('error', (err: Error) => this.opts.log.warn({ err: err.message }, 'SMPP connection error'));
    session.on('close', () => {
      if (this.session !== session) return;
      const wasBound = this.bound;
      this.bound = false;
      this.session = null;
      if (wasBound) this.emit('unbound');
      if (this.stopped) return;
      this.retry = setTimeout(() => this.connect(), this.backoff);
      this.retry.unref();
      this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 30_000);
    });
  }

  private onDeliver(pdu: Pdu): void {
    const text = messageText(pdu);
    if ((Number(pdu.esm_class) & ESM_RECEIPT) !== 0) {
      const r = parseReceipt(text);
      if (r) this.emit('receipt', { messageId: r.messageId, delivered: r.stat === 'DELIVRD', stat: r.stat });
      return;
    }
    this.emit('mo', { from: e164(String(pdu.source_addr)), to: e164(String(pdu.destination_addr)), text });
  }
}

/** node-smpp decodes short_message to `{ message }` (with `udh` when present); message_payload likewise. */
function messageText(pdu: Pdu): string {
  const field = (pdu.message_payload ?? pdu.short_message) as { message?: string | Buffer } | string | Buffer | undefined;
  if (field == null) return '';
  if (typeof field === 'string' || Buffer.isBuffer(field)) return field.toString();
  return field.message?.toString() ?? '';
}

/** SMSCs drop the '+' of international numbers; callsight keys numbers in E.164. */
const e164 = (addr: string) => (/^\d{7,15}$/.test(addr) ? `+${addr}` : addr);
