import type { SrtpPolicy } from '@callsight/protocol';
import type { MediaProfile } from '../webrtc/peer-config.js';
import { BrowserLeg } from './browser-leg.js';
import type { Call } from './call.js';
import type { NumberRepo } from './number-repo.js';
import type { RegistrationLookup } from './registration-repo.js';
import type { SipAccountRepo } from './sip-account-repo.js';
import type { TrunkRepo } from './trunk-repo.js';

/** Where a dial target resolves to: SIP URIs to INVITE and app users to ring, all in parallel. */
export interface Destination {
  /** `webrtc`: a contact registered over WebSocket (a browser SIP client), offered WebRTC media. */
  uris: { uri: string; proxy?: string; auth?: { username: string; password: string }; webrtc?: boolean; /** The account's or trunk's SDES-SRTP policy. */ srtp?: SrtpPolicy }[];
  appUsers: string[];
}

/** Resolves what people dial (a URI, a user, an account, a number) to where it rings. */
export class Destinations {
  constructor(private readonly deps: { numbers: NumberRepo; sipAccounts: SipAccountRepo; registrations: RegistrationLookup; trunks: TrunkRepo }) {}

  /** sip:/sips: URI, `user:<id>`, a SIP account name, or a number (own number's user, else via the tenant's trunk). */
  async resolve(tenantId: string, target: string): Promise<Destination> {
    if (/^sips?:/i.test(target)) return { uris: [{ uri: target }], appUsers: [] };
    let userId: string | null = null;
    let accounts: { username: string; srtp: SrtpPolicy }[] = [];
    if (target.startsWith('user:')) {
      userId = target.slice(5);
    } else {
      const account = await this.deps.sipAccounts.credentials(target);
      if (account?.tenantId === tenantId) {
        accounts = [account];
        userId = account.userId;
      } else {
        const number = await this.deps.numbers.lookup(target);
        if (number?.tenantId === tenantId && number.userId) userId = number.userId;
      }
    }
    if (userId && accounts.length === 0) accounts = await this.deps.sipAccounts.byUser(tenantId, userId);
    if (userId || accounts.length) {
      const uris: Destination['uris'] = [];
      for (const a of accounts) uris.push(...(await this.deps.registrations.reachable(a.username)).map((r) => ({ ...r, srtp: a.srtp })));
      return { uris, appUsers: userId ? [userId] : [] };
    }
    if (/^\+?[0-9*#]{2,20}$/.test(target)) {
      const trunk = await this.deps.trunks.forTenant(tenantId);
      if (trunk) {
        const host = trunk.address.replace(/^sips?:/, '').split(';')[0];
        return { uris: [{ uri: `sip:${target}@${host}`, proxy: trunk.address, auth: trunk.credentials, srtp: trunk.srtp }], appUsers: [] };
      }
    }
    return { uris: [], appUsers: [] };
  }

  /**
   * The codec of an app's call to `to`, decided before its media is negotiated: Opus when
   * `to` reaches app users only (browser ↔ browser, relayed untouched); PCMU when anything
   * may touch the audio on the server or a SIP phone may answer — a number with a flow
   * (prompts, recording, queues), a registered SIP contact of the user, anything dialled out.
   */
  async appCallCodec(tenantId: string, to: string): Promise<MediaProfile> {
    const number = await this.deps.numbers.lookup(to);
    if (number?.tenantId === tenantId && number.flowId) return 'pcmu';
    const dest = await this.resolve(tenantId, to);
    return dest.appUsers.length > 0 && dest.uris.length === 0 ? 'opus' : 'pcmu';
  }
}

/** The codec a call's audio is in as far as bridging goes: only browser legs may be Opus. */
export function codecOf(call: Call): MediaProfile {
  return call.leg instanceof BrowserLeg ? call.leg.codec : 'pcmu';
}

/** The telephone number in a SIP/tel URI or a dial string (`sip:+15550100@host` → `+15550100`), if it is one. */
export function telephoneNumberOf(value: string): string | null {
  const user = /^(?:sips?:|tel:)?([^@;>]+)/i.exec(value.replace(/^<|>$/g, ''))?.[1] ?? '';
  const digits = decodeURIComponent(user).replace(/[-.() ]/g, '');
  return /^\+?[0-9]{4,15}$/.test(digits) ? digits : null;
}
