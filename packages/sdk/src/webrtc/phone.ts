import type { ServerMessage } from '@callsight/protocol';
import { Emitter } from './emitter.js';
import { IceConfigSource } from './ice-config.js';
import { completeOffer, connected, defaultPeerFactory, type PeerFactory } from './peer.js';
import type { SignalChannel } from './signal-channel.js';

/**
 * Call signalling between the browser and the server's call routing:
 *
 * browser → server (requests, each answered with the reply noted):
 *   call.dial   {to, sessionId, sdp}              → {kind:'call.dialing', callId, codec, sdp}
 *   call.answer {callId, sessionId, sdp}          → {kind:'call.answered', callId, codec, sdp}
 *     (the offer travels with the call so the server picks the codec knowing both ends:
 *      Opus browser ↔ browser, PCMU when a SIP phone, a flow or a trunk is involved)
 *   call.reject {callId}                          → {kind:'call.rejected', callId}
 *   call.hangup {callId}                          → {kind:'call.ended', callId}
 *   call.hold   {callId, hold}                    → {kind:'call.held', callId, hold}
 *   call.dtmf   {callId, digits}                  → {kind:'call.dtmf.sent', callId}   (only when in-band RFC 4733 is unavailable)
 * server → browser (pushed):
 *   call.incoming {callId, from, fromName?, brand?, metadataToken?}   (metadataToken: signed verified-caller info)
 *   call.state    {callId, state:'ringing'|'answered'|'held'|'ended', cause?}
 *   call.dtmf     {callId, digit}   (a key pressed at the far end or sent by the API; emitted as the call's 'dtmf')
 *   rtc.state     {sessionId, state:'connected'|'failed'|'closed', cause?}
 */
export type CallState = 'new' | 'ringing' | 'answered' | 'held' | 'ended';

export interface PhoneCallEvents extends Record<string, unknown[]> {
  state: [state: CallState, cause?: string];
  /** The far end's audio; play it in an <audio autoplay>. */
  remoteStream: [stream: MediaStream];
  /** A key the far end pressed (WebRTC cannot carry RFC 4733 to the browser, so it comes as a message). */
  dtmf: [digit: string];
}

export interface PhoneEvents extends Record<string, unknown[]> {
  incoming: [call: PhoneCall];
  error: [error: Error];
}

export interface PhoneOptions {
  /** The microphone; defaults to getUserMedia({audio:true}) when a call starts. */
  getMicrophone?: () => Promise<MediaStream>;
  peerFactory?: PeerFactory;
}

let sessionCounter = 0;
const newSessionId = () => `call-${Date.now().toString(36)}-${(sessionCounter++).toString(36)}`;

/** One call on the Phone, outgoing or incoming. */
export class PhoneCall extends Emitter<PhoneCallEvents> {
  state: CallState = 'new';
  muted = false;
  held = false;
  remoteStream: MediaStream | null = null;
  private pc: RTCPeerConnection | null = null;
  private mic: MediaStream | null = null;
  private sessionId: string | null = null;

  constructor(
    private readonly phone: Phone,
    readonly direction: 'outgoing' | 'incoming',
    public callId: string | null,
    readonly remote: { number: string; name?: string; brand?: unknown; metadataToken?: string },
  ) {
    super();
  }

  /** Incoming calls: starts media and tells the server to connect the call. */
  async answer(): Promise<void> {
    if (this.direction !== 'incoming' || this.state === 'ended') throw new Error('Only a ringing incoming call can be answered');
    const answer = await this.offerMedia((sessionId, sdp) => this.phone.channel.request('call.answer', { callId: this.callId, sessionId, sdp }));
    await this.connectMedia(answer);
    this.setState('answered');
  }

  async reject(): Promise<void> {
    await this.phone.channel.request('call.reject', { callId: this.callId });
    this.end('rejected');
  }

  async hangup(): Promise<void> {
    if (this.state === 'ended') return;
    if (this.callId) await this.phone.channel.request('call.hangup', { callId: this.callId }).catch(() => undefined);
    else if (this.sessionId) await this.phone.channel.request('rtc.hangup', { sessionId: this.sessionId }).catch(() => undefined);
    this.end('hangup');
  }

  /** Mutes the microphone locally: nothing leaves the browser. */
  mute(muted = true): void {
    this.muted = muted;
    for (const t of this.mic?.getAudioTracks() ?? []) t.enabled = !muted && !this.held;
  }

  /** Hold: the server stops bridging (and may play music); the microphone is paused too. */
  async hold(hold = true): Promise<void> {
    await this.phone.channel.request('call.hold', { callId: this.callId, hold });
    this.held = hold;
    for (const t of this.mic?.getAudioTracks() ?? []) t.enabled = !hold && !this.muted;
    this.setState(hold ? 'held' : 'answered');
  }

  /** Sends keypad digits in-band as RFC 4733 events; falls back to `call.dtmf` signalling. */
  async dtmf(digits: string): Promise<void> {
    if (!/^[0-9*#A-D]+$/.test(digits)) throw new Error('DTMF digits are 0-9, *, #, A-D');
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'audio');
    // insertDTMF replaces what is still queued: keys pressed faster than tones play are appended, not lost.
    if (sender?.dtmf?.canInsertDTMF) sender.dtmf.insertDTMF(sender.dtmf.toneBuffer + digits, 120, 70);
    else await this.phone.channel.request('call.dtmf', { callId: this.callId, digits });
  }

  /** @internal outgoing calls */
  async dial(to: string): Promise<void> {
    const answer = await this.offerMedia((sessionId, sdp) => this.phone.channel.request('call.dial', { to, sessionId, sdp }));
    this.callId = answer.callId ?? null;
    this.phone.track(this);
    this.setState('ringing');
    // Media connects while the call rings. `call()` returns now, as the server starts pushing
    // the call's progress, so listeners added on its result miss none of it. A failed
    // connection ends the call (the server also pushes rtc.state failed).
    void this.connectMedia(answer).catch(() => this.hangup());
  }

  /** @internal */
  onServerState(state: CallState, cause?: string): void {
    if (state === 'ended') this.end(cause);
    else this.setState(state);
  }

  /** @internal */
  onServerDtmf(digit: string): void {
    if (this.state !== 'ended') this.emit('dtmf', digit);
  }

  /** @internal */
  matchesSession(sessionId: string): boolean {
    return this.sessionId === sessionId;
  }

  /** Offers media with `signal` (the call.dial / call.answer request); returns its reply, which carries the SDP answer. */
  private async offerMedia(signal: (sessionId: string, sdp: string) => Promise<unknown>): Promise<{ sdp: string; callId?: string }> {
    this.mic = await this.phone.getMicrophone();
    const pc = this.phone.peerFactory(await this.phone.ice.get());
    this.pc = pc;
    for (const track of this.mic.getAudioTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [this.mic] });
    pc.addEventListener('track', (ev) => {
      this.remoteStream = ev.streams[0] ?? new MediaStream([ev.track]);
      this.emit('remoteStream', this.remoteStream);
    });
    const sessionId = newSessionId();
    this.sessionId = sessionId;
    return (await signal(sessionId, await completeOffer(pc))) as { sdp: string; callId?: string };
  }

  private async connectMedia(answer: { sdp: string }): Promise<void> {
    await this.pc!.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    await connected(this.pc!);
  }

  private setState(state: CallState): void {
    if (this.state === state || this.state === 'ended') return;
    this.state = state;
    this.emit('state', state);
  }

  private end(cause?: string): void {
    if (this.state === 'ended') return;
    this.pc?.close();
    for (const t of this.mic?.getTracks() ?? []) t.stop();
    this.state = 'ended';
    this.emit('state', 'ended', cause);
    this.phone.untrack(this);
  }
}

/**
 * A browser softphone on callsight: place calls to numbers, extensions or queues,
 * receive calls pushed by routing, and control them. Media is a WebRTC leg the server
 * bridges to SIP without transcoding (PCMU), or relays to the other browser (Opus).
 *
 *   const phone = new Phone(client.realtime());
 *   phone.on('incoming', (call) => call.answer());
 *   const call = await phone.call('+15550100');
 */
export class Phone extends Emitter<PhoneEvents> {
  readonly calls = new Set<PhoneCall>();
  readonly peerFactory: PeerFactory;
  readonly getMicrophone: () => Promise<MediaStream>;
  /** @internal */
  readonly ice: IceConfigSource;
  private off: (() => void) | null = null;

  constructor(
    readonly channel: SignalChannel,
    opts: PhoneOptions = {},
  ) {
    super();
    this.peerFactory = opts.peerFactory ?? defaultPeerFactory;
    this.ice = new IceConfigSource(channel);
    this.getMicrophone = opts.getMicrophone ?? (() => navigator.mediaDevices.getUserMedia({ audio: true }));
  }

  /** Starts listening for incoming calls and call state pushes. */
  connect(): void {
    this.off ??= this.channel.on('message', (m) => this.onMessage(m as ServerMessage & Record<string, any>));
  }

  disconnect(): void {
    this.off?.();
    this.off = null;
  }

  async call(target: string): Promise<PhoneCall> {
    this.connect();
    const call = new PhoneCall(this, 'outgoing', null, { number: target });
    try {
      await call.dial(target);
    } catch (err) {
      await call.hangup();
      throw err;
    }
    return call;
  }

  /** @internal */
  track(call: PhoneCall): void {
    this.calls.add(call);
  }

  /** @internal */
  untrack(call: PhoneCall): void {
    this.calls.delete(call);
  }

  private onMessage(m: ServerMessage & Record<string, any>): void {
    if (m.kind === 'call.incoming') {
      const call = new PhoneCall(this, 'incoming', m.callId, { number: m.from, name: m.fromName, brand: m.brand, metadataToken: m.metadataToken });
      this.calls.add(call);
      call.onServerState('ringing');
      this.emit('incoming', call);
    } else if (m.kind === 'call.dtmf' && typeof m.digit === 'string' && !m.ref) {
      for (const c of this.calls) if (c.callId === m.callId) c.onServerDtmf(m.digit);
    } else if (m.kind === 'call.state') {
      for (const c of this.calls) if (c.callId === m.callId) c.onServerState(m.state, m.cause);
    } else if (m.kind === 'rtc.state' && (m.state === 'failed' || m.state === 'closed')) {
      for (const c of this.calls) if (c.matchesSession(m.sessionId)) c.onServerState('ended', m.cause);
    }
  }
}
