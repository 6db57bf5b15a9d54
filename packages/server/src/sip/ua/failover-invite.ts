/**
 * An INVITE to a next hop named by DNS (RFC 3263 4.3): the servers the locator found are
 * tried one after another, best first, until one is there. A server is given up when
 * its transport fails (connection refused, 503 from the transport), when its
 * transaction times out, when it answers 503, or when it says nothing at all — not
 * even 100 Trying — within `silenceMs`. Once a server has answered anything, its
 * outcome is the call's. CANCEL goes to whichever server is being tried.
 */
import { TypedEmitter } from '../../core/typed-emitter.js';
import type { Dialog } from '../dialog/dialog.js';
import type { SipResponse } from '../message.js';
import { targetUri, type SipTarget } from '../transport/rfc3263.js';
import { SipFailure } from './failure.js';
import type { OutgoingInvite, OutgoingInviteEvents } from './outgoing-invite.js';

type Answer = { dialog: Dialog; response: SipResponse };

export class FailoverInvite extends TypedEmitter<OutgoingInviteEvents> implements OutgoingInvite {
  readonly response: Promise<Answer>;
  private current: OutgoingInvite | null = null;
  private cancelled = false;
  /** Each server tried, in order (for logs and tests). */
  readonly tried: SipTarget[] = [];

  constructor(
    targets: Promise<SipTarget[]>,
    /** Sends the INVITE through `proxy` (a URI naming one server). */
    private readonly start: (proxy: string | undefined) => OutgoingInvite,
    private readonly silenceMs: number,
  ) {
    super();
    this.response = this.run(targets);
    this.response.catch(() => undefined);
  }

  private async run(targets: Promise<SipTarget[]>): Promise<Answer> {
    const list = await targets.catch(() => [] as SipTarget[]);
    // DNS knew nothing: the name goes to the transport as it is (the OS resolver, /etc/hosts).
    if (list.length === 0) return this.attempt(undefined).result;
    let last: unknown = new SipFailure(503, 'Service Unavailable');
    for (const target of list) {
      if (this.cancelled) throw new SipFailure(487, 'Request Terminated');
      this.tried.push(target);
      const { result, heard } = this.attempt(targetUri(target));
      try {
        return await result;
      } catch (err) {
        last = err;
        const status = err instanceof SipFailure ? err.status : 0;
        const next = !heard() || status === 503 || status === 408;
        if (!next || this.cancelled) throw err;
      }
    }
    throw last;
  }

  /** One server: its outcome, or a 408 of our own when it stays silent for silenceMs. */
  private attempt(proxy: string | undefined): { result: Promise<Answer>; heard: () => boolean } {
    const inv = this.start(proxy);
    this.current = inv;
    let heard = false;
    inv.on('heard', (res) => {
      heard = true;
      this.emit('heard', res);
    });
    inv.on('provisional', (res) => this.emit('provisional', res));
    if (proxy === undefined) return { result: inv.response, heard: () => true };
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (heard) return;
        inv.cancel();
        reject(new SipFailure(408, 'No response from server'));
      }, this.silenceMs);
    });
    silent.catch(() => undefined);
    const result = Promise.race([inv.response, silent]).finally(() => clearTimeout(timer));
    return { result, heard: () => heard };
  }

  cancel(): void {
    this.cancelled = true;
    this.current?.cancel();
  }
}
