/**
 * Outbound registration to a registrar or trunk (RFC 3261 10.2): one Call-ID
 * and increasing CSeq for all refreshes (10.2.4), Digest answered, refreshed
 * ahead of expiry using the interval the registrar granted (10.2.4, the
 * Contact's expires wins over Expires), 423 handled by retrying with
 * Min-Expires (10.2.8), unregister with Expires: 0.
 */
import { newCallId, newTag } from '../ids.js';
import { getContacts, getExpires, type SipResponse } from '../message.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import { SipFailure } from './failure.js';
import type { SipStack } from './stack.js';
import { buildUacRequest, sendUacRequest } from './uac-request.js';

export interface RegisterOptions {
  registrar: string;
  aor: string;
  username: string;
  password: string;
  expires?: number;
  proxy?: string;
}

export type RegistrationEvents = {
  registered: (info: { expires: number; response: SipResponse }) => void;
  failed: (err: SipFailure) => void;
  unregistered: () => void;
};

export class Registration extends TypedEmitter<RegistrationEvents> {
  private readonly callId = newCallId();
  private readonly fromTag = newTag();
  private cseq = 0;
  private expires: number;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Seconds granted by the registrar in the last 200, 0 when not registered. */
  granted = 0;

  constructor(
    private readonly stack: SipStack,
    private readonly opts: RegisterOptions,
  ) {
    super();
    this.expires = opts.expires ?? 3600;
  }

  start(): void {
    void this.send(this.expires);
  }

  /** Never rejects (it runs from timers): a failure is a 'failed' event and a retry. */
  private async send(expires: number): Promise<SipResponse | undefined> {
    try {
      return await this.attempt(expires);
    } catch (e) {
      const err = e instanceof SipFailure ? e : new SipFailure(503, (e as Error).message);
      this.granted = 0;
      // Retry later so a trunk outage heals by itself (RFC 5626 4.5 style backoff, simplified).
      if (!this.stopped && expires > 0) this.schedule(60);
      try {
        this.emit('failed', err);
      } catch (listenerErr) {
        this.stack.log.error({ err: listenerErr }, 'sip: a registration listener threw');
      }
      return undefined;
    }
  }

  private async attempt(expires: number): Promise<SipResponse | undefined> {
    const user = /^sips?:([^@;?]+)@/i.exec(this.opts.aor)?.[1];
    const built = buildUacRequest(this.stack, {
      method: 'REGISTER',
      target: this.opts.registrar,
      from: { uri: this.opts.aor },
      to: { uri: this.opts.aor },
      callId: this.callId,
      fromTag: this.fromTag,
      cseq: ++this.cseq,
      proxy: this.opts.proxy,
      contactUser: user,
      headers: { Expires: String(expires) },
    });
    const { response, cseq } = await sendUacRequest(this.stack, built, { username: this.opts.username, password: this.opts.password });
    this.cseq = cseq;
    if (response.status === 423 && expires > 0) {
      const min = Number(response.headers.get('min-expires'));
      if (min > expires && min <= 86_400) {
        this.expires = min;
        return this.attempt(min);
      }
    }
    if (response.status >= 300) throw new SipFailure(response.status, response.reason, response);
    if (expires === 0) return response;
    this.granted = grantedExpires(response, expires);
    this.schedule(this.granted);
    this.emit('registered', { expires: this.granted, response });
    return response;
  }

  /** Refresh at half the interval for short ones, else a minute ahead — never later than 32 s before expiry. */
  private schedule(seconds: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const lead = seconds <= 120 ? seconds / 2 : Math.max(32, Math.min(60, seconds / 10));
    this.timer = setTimeout(() => void this.send(this.expires), Math.max(1, seconds - lead) * 1000);
    this.timer.unref();
  }

  async unregister(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.granted > 0) await this.send(0);
    this.granted = 0;
    this.emit('unregistered');
  }
}

function grantedExpires(res: SipResponse, asked: number): number {
  try {
    const contacts = getContacts(res);
    if (contacts !== '*') {
      // Our own binding's expires; a registrar may list others' bindings too.
      const own = contacts.map((c) => c.expires).filter((e): e is number => e !== undefined);
      if (own.length > 0) return Math.min(...own);
    }
    return getExpires(res) ?? asked;
  } catch {
    return asked;
  }
}
