import type { IceConfig, ServerMessage } from '@callsight/protocol';
import type { SignalChannel } from './signal-channel.js';

/** Asked for again this long before the TURN credentials expire, so a call never starts with stale ones. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The server's STUN/TURN servers for this socket's user (`rtc.ice`), kept until shortly
 * before their TURN credentials expire; every peer connection the SDK makes uses them.
 */
export class IceConfigSource {
  private cached: { config: RTCConfiguration; until: number } | null = null;

  constructor(private readonly channel: SignalChannel) {}

  async get(): Promise<RTCConfiguration> {
    if (this.cached && Date.now() < this.cached.until) return this.cached.config;
    const r = (await this.channel.request('rtc.ice')) as ServerMessage & IceConfig;
    const config: RTCConfiguration = { iceServers: r.iceServers, iceTransportPolicy: r.iceTransportPolicy };
    this.cached = { config, until: r.expiresAt === null ? Infinity : r.expiresAt - REFRESH_MARGIN_MS };
    return config;
  }
}
