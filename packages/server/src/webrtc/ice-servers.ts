import { createHmac } from 'node:crypto';
import type { IceConfig, IceServer } from '@callsight/protocol';
import type { Config } from '../core/config.js';
import type { Principal } from '../auth/principal.js';

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest, coturn's `use-auth-secret`):
 * the username is `<expiry, unix seconds>:<who>` and the password is
 * base64(HMAC-SHA1(shared secret, username)). The TURN server checks both without asking
 * us, and refuses the credential after the expiry, so a leaked one is only good for a while
 * and the shared secret itself never leaves the server.
 */
export function turnRestCredential(secret: string, who: string, expiresAtSec: number): { username: string; credential: string } {
  const username = `${expiresAtSec}:${who}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** The configured ICE servers, split once at start. */
export class IceServers {
  private readonly stun: string[];
  private readonly turn: string[];

  constructor(private readonly config: Pick<Config, 'iceServers' | 'turnSecret' | 'turnTtlSeconds' | 'iceTransportPolicy'>) {
    const urls = (config.iceServers ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    this.stun = urls.filter((u) => u.startsWith('stun'));
    this.turn = urls.filter((u) => u.startsWith('turn'));
  }

  /** The RTCConfiguration part for `principal`: TURN credentials name the user (or API key), never the tenant's secret. */
  for(principal: Principal, now = Date.now()): IceConfig {
    const iceServers: IceServer[] = [];
    if (this.stun.length) iceServers.push({ urls: this.stun });
    let expiresAt: number | null = null;
    if (this.turn.length && this.config.turnSecret) {
      const expiresAtSec = Math.floor(now / 1000) + this.config.turnTtlSeconds;
      expiresAt = expiresAtSec * 1000;
      // Colons separate the expiry in TURN REST usernames, so the label must have none.
      const who = (principal.userId ?? principal.apiKeyId ?? principal.tenantId).replace(/:/g, '_');
      iceServers.push({ urls: this.turn, ...turnRestCredential(this.config.turnSecret, who, expiresAtSec) });
    }
    return { iceServers, iceTransportPolicy: this.config.iceTransportPolicy, expiresAt };
  }
}
