import type { AppContext } from '../app-context.js';
import type { VerificationResult } from '../branding/verifier.js';
import { CallsightError, conflict } from '../core/errors.js';
import { startEcho } from '../media/echo.js';
import { playPcm, type Playback } from '../media/player.js';
import { startRecording, type Recording } from '../media/recorder.js';
import { assertBridgeable, bridgeAudio } from './bridge-audio.js';
import { OpusBrowserAudio } from './opus-browser-audio.js';
import type { CallRecord, CallRepo } from './call-repo.js';
import type { AudioPort, Leg } from './leg.js';
import type { MediaEngine } from './media-engine.js';

/** What a leg's outgoing audio is doing: one thing at a time. */
type Activity =
  | { kind: 'idle' }
  | { kind: 'playing'; playback: Playback }
  | { kind: 'echo'; stop: () => void }
  | { kind: 'bridged'; to: Call; stop: () => void }
  | { kind: 'conference'; stop: () => void };

/**
 * A live call: its caller-side leg, what plays into it, and its recording.
 * Every state change is an event on the bus and a row update in the store.
 * Bridging joins two calls' legs; each call keeps its own record and events.
 */
export class Call {
  private activity: Activity = { kind: 'idle' };
  /** STIR/SHAKEN result of an inbound call; null when not checked. */
  verification: VerificationResult | null = null;
  /** Every key the caller pressed (the last 64), e.g. the IVR path for an agent taking over. */
  digits = '';
  private recording: { id: string; rec: Recording } | null = null;
  private readonly ended: Promise<string>;
  private resolveEnded!: (cause: string) => void;

  constructor(
    readonly record: CallRecord,
    readonly leg: Leg,
    private readonly ctx: AppContext,
    private readonly repo: CallRepo,
    private readonly media: MediaEngine,
    private readonly onEnd: (call: Call) => void,
  ) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
    leg.on('ringing', () => void this.emit('call.ringing', {}));
    leg.on('answered', () => void this.onAnswered());
    leg.on('held', () => void this.emit('call.held', { by: 'remote' }));
    leg.on('resumed', () => void this.emit('call.resumed', { by: 'remote' }));
    leg.on('dtmf', (digit) => {
      this.digits = (this.digits + digit).slice(-64);
      void this.emit('call.dtmf', { digit });
    });
    leg.on('ended', (cause) => void this.onEnded(cause));
    this.stateBefore = leg.state;
  }

  /** The leg's state when this call took it: a phone may answer while the call record is being stored. */
  private readonly stateBefore: Leg['state'];

  /** Reports what the leg did before this call listened (after call.created, so events stay in order). */
  async catchUp(): Promise<void> {
    if (this.stateBefore === 'answered') await this.onAnswered();
    else if (this.stateBefore === 'ended') await this.onEnded(this.leg.endCause ?? 'failed');
  }

  get id(): string {
    return this.record.id;
  }

  get state(): CallRecord['state'] {
    return this.leg.state === 'ended' ? 'ended' : this.leg.state === 'answered' ? 'answered' : 'ringing';
  }

  /** Resolves with the end cause. */
  whenEnded(): Promise<string> {
    return this.ended;
  }

  private async emit<T extends 'call.ringing' | 'call.answered' | 'call.held' | 'call.resumed' | 'call.dtmf' | 'call.bridged' | 'call.transferred' | 'call.recording.started' | 'call.recording.stopped' | 'call.ended'>(
    type: T,
    data: Omit<import('../bus/event-map.js').EventMap[T], 'callId'>,
  ): Promise<void> {
    await this.ctx.bus
      .publish({ tenantId: this.record.tenantId, type, interactionId: this.record.interactionId, data: { callId: this.id, ...data } as never })
      .catch((err) => this.ctx.log.error({ err, type }, 'publishing a call event failed'));
  }

  private async onAnswered(): Promise<void> {
    this.record.state = 'answered';
    this.record.answeredAt = Date.now();
    await this.repo.markAnswered(this.id);
    await this.emit('call.answered', {});
  }

  private async onEnded(cause: string): Promise<void> {
    this.stopActivity();
    if (this.recording) await this.stopRecording().catch(() => {});
    const duration = this.record.answeredAt ? (Date.now() - this.record.answeredAt) / 1000 : null;
    this.record.state = 'ended';
    await this.repo.markEnded(this.id, cause);
    await this.emit('call.ended', { cause, durationSeconds: duration });
    this.onEnd(this);
    this.resolveEnded(cause);
  }

  private requireLive(): void {
    if (this.leg.state === 'ended') throw conflict('call_ended', 'The call has ended');
  }

  private requireMedia(): AudioPort {
    this.requireLive();
    const audio = this.leg.audio;
    if (!audio || this.leg.state !== 'answered') throw conflict('call_not_answered', 'The call is not answered yet');
    return audio;
  }

  /**
   * For what plays, records or mixes audio: throws `call_not_answered`, or `call_media_opus`
   * on a browser-to-browser Opus call (no PCM on the server). Public so routes that start
   * playback in the background can refuse up front.
   */
  requirePcm(): AudioPort {
    const audio = this.requireMedia();
    if (audio instanceof OpusBrowserAudio) {
      throw conflict('call_media_opus', 'This browser-to-browser call carries Opus, relayed without decoding: prompts, recording, echo and conferences need a PCMU call');
    }
    return audio;
  }

  async answer(): Promise<void> {
    this.requireLive();
    if (this.record.direction !== 'inbound') throw conflict('call_not_inbound', 'Only inbound calls are answered');
    await this.leg.answer();
  }

  async hangup(cause = 'hangup'): Promise<void> {
    if (this.leg.state === 'ended') return;
    await this.leg.hangup(cause);
  }

  async hold(): Promise<void> {
    this.requireMedia();
    await this.leg.hold();
    await this.emit('call.held', { by: 'local' });
  }

  async resume(): Promise<void> {
    this.requireMedia();
    await this.leg.resume();
    await this.emit('call.resumed', { by: 'local' });
  }

  private stopActivity(): void {
    const a = this.activity;
    this.activity = { kind: 'idle' };
    if (a.kind === 'playing') a.playback.stop();
    if (a.kind === 'echo' || a.kind === 'conference') a.stop();
    if (a.kind === 'bridged') {
      a.stop();
      if (a.to.activity.kind === 'bridged' && a.to.activity.to === this) a.to.activity = { kind: 'idle' };
    }
  }

  /** Plays PCM into the call, replacing whatever played before; resolves when done or stopped. */
  async playPcm(pcm: Int16Array): Promise<'completed' | 'stopped'> {
    const session = this.requirePcm();
    this.stopActivity();
    const playback = playPcm(session, pcm);
    this.activity = { kind: 'playing', playback };
    const end = await playback.done;
    if (this.activity.kind === 'playing' && this.activity.playback === playback) this.activity = { kind: 'idle' };
    return end;
  }

  async say(text: string, voice?: string): Promise<'completed' | 'stopped'> {
    this.requirePcm();
    const pcm = await this.media.tts.synthesize(text, { voice });
    return this.playPcm(pcm);
  }

  stopPlayback(): void {
    if (this.activity.kind === 'playing') this.stopActivity();
  }

  echo(): void {
    const session = this.requirePcm();
    this.stopActivity();
    this.activity = { kind: 'echo', stop: startEcho(session) };
  }

  async sendDtmf(digits: string): Promise<void> {
    const session = this.requireMedia();
    for (const d of digits) await session.sendDtmf(d);
  }

  /** Each call's caller hears the other. Whatever played on either stops. */
  async bridge(other: Call): Promise<void> {
    if (other === this) throw new CallsightError('bridge_self', 'Cannot bridge a call with itself', { status: 400 });
    const a = this.requireMedia();
    const b = other.requireMedia();
    assertBridgeable(a, b);
    this.stopActivity();
    other.stopActivity();
    const stopAudio = bridgeAudio(a, b);
    // Key presses cross the bridge as events (RFC 4733 to a phone, `call.dtmf` to an app):
    // the legs decode them out of the audio, so without this the far end would never know.
    const toOther = (digit: string) => void other.leg.audio?.sendDtmf(digit).catch((err) => this.ctx.log.debug({ err }, 'dtmf not relayed'));
    const toThis = (digit: string) => void this.leg.audio?.sendDtmf(digit).catch((err) => this.ctx.log.debug({ err }, 'dtmf not relayed'));
    this.leg.on('dtmf', toOther);
    other.leg.on('dtmf', toThis);
    const stop = () => {
      stopAudio();
      this.leg.off('dtmf', toOther);
      other.leg.off('dtmf', toThis);
    };
    this.activity = { kind: 'bridged', to: other, stop };
    other.activity = { kind: 'bridged', to: this, stop: () => {} };
    await this.emit('call.bridged', { otherCallId: other.id });
    await other.emit('call.bridged', { otherCallId: this.id });
    // When one side hangs up, the other is released back to idle (its flow decides what next).
    void other.whenEnded().then(() => this.stopActivity());
    void this.whenEnded().then(() => other.stopActivity());
  }

  /**
   * Hands the call's audio to a conference mixer. Whatever played stops; `leave` runs when
   * anything else takes the audio (a prompt, a bridge) or the call ends.
   */
  joinConference(leave: () => void): AudioPort {
    const audio = this.requirePcm();
    this.stopActivity();
    this.activity = { kind: 'conference', stop: leave };
    return audio;
  }

  /** Gives the audio back (the conference let go of it) without running `leave`. */
  leftConference(): void {
    if (this.activity.kind === 'conference') this.activity = { kind: 'idle' };
  }

  get bridgedTo(): Call | null {
    return this.activity.kind === 'bridged' ? this.activity.to : null;
  }

  async startRecording(mode: 'received' | 'mixed' = 'mixed'): Promise<string> {
    const session = this.requirePcm();
    if (this.recording) throw conflict('already_recording', 'The call is already being recorded');
    const row = await this.repo.addRecording({ tenantId: this.record.tenantId, callId: this.id, mode, dir: `${this.ctx.config.dataDir}/recordings` });
    this.recording = { id: row.id, rec: await startRecording(session, row.path, mode) };
    await this.emit('call.recording.started', { recordingId: row.id });
    return row.id;
  }

  async stopRecording(): Promise<{ recordingId: string; durationSeconds: number }> {
    const current = this.recording;
    if (!current) throw conflict('not_recording', 'The call is not being recorded');
    this.recording = null;
    const { durationSeconds } = await current.rec.stop();
    await this.repo.finishRecording(current.id, durationSeconds);
    await this.emit('call.recording.stopped', { recordingId: current.id, durationSeconds });
    return { recordingId: current.id, durationSeconds };
  }

  /** Collects DTMF digits until `numDigits`, `finishOnKey` or silence for `timeoutMs`. */
  collectDigits(opts: { numDigits: number; timeoutMs: number; finishOnKey?: string; onFirstDigit?: () => void }): Promise<string> {
    return new Promise((resolve) => {
      let digits = '';
      let timer = setTimeout(done, opts.timeoutMs);
      const onDigit = (d: string) => {
        if (digits === '' && opts.onFirstDigit) opts.onFirstDigit();
        if (opts.finishOnKey && d === opts.finishOnKey) return done();
        digits += d;
        if (digits.length >= opts.numDigits) return done();
        clearTimeout(timer);
        timer = setTimeout(done, opts.timeoutMs);
      };
      const onEnd = () => done();
      function cleanup() {
        clearTimeout(timer);
      }
      const leg = this.leg;
      function done() {
        cleanup();
        leg.off('dtmf', onDigit);
        leg.off('ended', onEnd);
        resolve(digits);
      }
      leg.on('dtmf', onDigit);
      leg.on('ended', onEnd);
    });
  }

  async transferred(to: string): Promise<void> {
    await this.emit('call.transferred', { to });
  }
}
