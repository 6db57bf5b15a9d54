import type { AppContext } from '../app-context.js';
import { CallsightError, conflict } from '../core/errors.js';
import { startEcho } from '../media/echo.js';
import { playPcm, type Playback } from '../media/player.js';
import { startRecording, type Recording } from '../media/recorder.js';
import { announceToBridge } from '../media/announce.js';
import type { PcmStream } from '../media/pcm-stream.js';
import type { SuperviseMode } from '@callsight/protocol';
import { keypadMask, type KeypadMask } from '../media/keypad-mask.js';
import { bridgeAudio } from './bridge-audio.js';
import { consultAudio, CONSULT_ROUTES, superviseAudio, type ConsultMix } from './supervised-audio.js';
import { OpusBrowserAudio } from './opus-browser-audio.js';
import type { CallRecord, CallRepo } from './call-repo.js';
import type { AudioPort, Leg } from './leg.js';
import type { MediaEngine } from './media-engine.js';

/** What a leg's outgoing audio is doing: one thing at a time. */
type Activity =
  | { kind: 'idle' }
  | { kind: 'playing'; playback: Playback }
  | { kind: 'echo'; stop: () => void }
  | { kind: 'bridged'; to: Call; stop: () => void; link: BridgeLink }
  | { kind: 'conference'; stop: () => void }
  | { kind: 'supervising'; stop: () => void }
  | { kind: 'consulted'; stop: () => void };

/** The audio of a bridge, shared by both calls' activities: a prompt pauses it and puts it back. */
interface BridgeLink {
  a: AudioPort;
  b: AudioPort;
  stopAudio: () => void;
  announcing: Playback | null;
  live: boolean;
  /** Starts the bridge's audio path: the plain relay, or the listen matrix while a supervisor is on it. */
  connect: () => () => void;
  supervision: { supervisor: Call; mode: { current: SuperviseMode } } | null;
  /** The agent's consult: the customer held (or conferenced) while the agent talks to `target` (null while it rings). */
  consult: { target: Call | null; routes: { current: (typeof CONSULT_ROUTES)[ConsultMix] } } | null;
}

/**
 * Stops whatever the bridge plays now (its audio path, a prompt over it) before another
 * path takes over. The prompt is forgotten as well as stopped: its end, which comes a
 * moment later, must not put the old path back on top of the new one (two paths would
 * then send into the same legs, the first each tick winning — a consult's mixer lost
 * to the bridge it replaced, the colleague unheard).
 */
function takeAudio(link: BridgeLink): void {
  const prompt = link.announcing;
  link.announcing = null;
  prompt?.stop();
  link.stopAudio();
}

/** Where a recording holds comfort noise instead of confidential audio (Call.playConfidential). */
export interface RecordingMask {
  recordingId: string;
  offsetMs: number;
  durationMs: number;
}

/**
 * What features note on a live call (branding: the STIR/SHAKEN result). Each
 * feature adds its field: `declare module '../calls/call.js' { interface CallAnnotations { … } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface CallAnnotations {}

/**
 * A live call: its caller-side leg, what plays into it, and its recording.
 * Every state change is an event on the bus and a row update in the store.
 * Bridging joins two calls' legs; each call keeps its own record and events.
 */
export class Call {
  private activity: Activity = { kind: 'idle' };
  /** Set by features' call hooks (calls/call-hooks.ts); the calls layer never reads it. */
  readonly annotations: CallAnnotations = {};
  /** The caller's name when the server knows who they are (a signed-in app user), shown to whoever it rings. */
  callerName: string | null = null;
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
    await this.repo.markAnswered(this.id).catch((err) => this.ctx.log.error({ err, callId: this.id }, 'storing the answered call failed'));
    await this.emit('call.answered', {});
  }

  /** Never rejects, and always releases the call: a store that fails here must not leave it live forever. */
  private async onEnded(cause: string): Promise<void> {
    try {
      this.stopActivity();
      if (this.recording) await this.stopRecording().catch(() => {});
      const duration = this.record.answeredAt ? (Date.now() - this.record.answeredAt) / 1000 : null;
      this.record.state = 'ended';
      await this.repo.markEnded(this.id, cause).catch((err) => this.ctx.log.error({ err, callId: this.id }, 'storing the ended call failed'));
      await this.emit('call.ended', { cause, durationSeconds: duration });
    } finally {
      this.onEnd(this);
      this.resolveEnded(cause);
    }
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
   * For what plays, records or mixes audio: throws `call_not_answered`. Any leg has PCM:
   * an Opus browser leg starts decoding when asked (see OpusBrowserAudio). Public so
   * routes that start playback in the background can refuse up front.
   */
  requirePcm(): AudioPort {
    return this.requireMedia();
  }

  async answer(): Promise<void> {
    this.requireLive();
    if (this.record.direction !== 'inbound') throw conflict('call_not_inbound', 'Only inbound calls are answered');
    await this.leg.answer();
  }

  /** True once the call's leg has ended. */
  get closed(): boolean {
    return this.leg.closed;
  }

  /** The close contract: idempotent; hangs up the call's leg (and so its branches). */
  close(cause = 'closed'): Promise<void> {
    return this.hangup(cause);
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
    if (a.kind === 'echo' || a.kind === 'conference' || a.kind === 'supervising' || a.kind === 'consulted') a.stop();
    if (a.kind === 'bridged') {
      a.stop();
      if (a.to.activity.kind === 'bridged' && a.to.activity.to === this) a.to.activity = { kind: 'idle' };
    }
  }

  /**
   * Plays PCM into the call, replacing whatever played before; resolves when done or
   * stopped. On a bridged call both parties hear it and keep hearing each other.
   */
  async playPcm(pcm: Int16Array): Promise<'completed' | 'stopped'> {
    const session = this.requirePcm();
    if (this.activity.kind === 'bridged') return this.announce(this.activity.link, pcm);
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

  /**
   * Confidential audio into this call's bridge (finished, or a stream still rendering): the far end hears `pcm` instead of this
   * call's party (whose microphone is gated for the window, so nothing said near them
   * mixes in), this party hears it over the far end, and every recording of both calls
   * holds comfort noise of the same length there. `started` runs when the first frame
   * goes out, with where each recording was masked; the promise ends with the masks'
   * lengths. Throws `call_not_bridged` when there is no far end to hear it.
   */
  async playConfidential(pcm: Int16Array | PcmStream, started?: (at: number) => void): Promise<{ end: 'completed' | 'stopped'; masks: RecordingMask[] }> {
    const { link, gate, masks } = this.confidentialWindow();
    try {
      const end = await this.overBridge(link, () =>
        announceToBridge(link.a, link.b, pcm, {
          gate,
          onStart: () => {
            masks.start();
            started?.(Date.now());
          },
          onEnd: masks.end,
        }),
      );
      return { end, masks: masks.list() };
    } finally {
      masks.end();
    }
  }

  /**
   * Agent-deaf keypad capture: until `stop`, this call's party is heard by nobody (the
   * far end hears a flat tone per key, see keypadMask), every key they press goes to
   * `onDigit` only (never relayed across the bridge, never a `call.dtmf` event, never in
   * `digits`), and the recordings of both calls hold comfort noise. `stop` resolves with
   * where the recordings were masked, once the bridge is back.
   */
  captureConfidential(onDigit: (digit: string) => void): { stop: () => Promise<RecordingMask[]> } {
    const { link, gate, masks } = this.confidentialWindow();
    const keying = gate === 'a' ? link.a : link.b;
    const other = gate === 'a' ? link.b : link.a;
    let mask: KeypadMask | null = null;
    const undivert = this.leg.divertDigits((digit) => {
      mask?.key();
      onDigit(digit);
    });
    masks.start();
    const running = this.overBridge(link, () => (mask = keypadMask(keying, other, { onEnd: masks.end })));
    return {
      stop: async () => {
        mask?.stop();
        await running.catch(() => 'stopped');
        masks.end();
        undivert();
        return masks.list();
      },
    };
  }

  /** The bridge this call's party is on, which side of it they are, and their recordings' masks. */
  private confidentialWindow(): { link: BridgeLink; gate: 'a' | 'b'; masks: ReturnType<typeof recordingMasks> } {
    this.requirePcm();
    if (this.activity.kind !== 'bridged') throw conflict('call_not_bridged', 'The call is not connected to anyone');
    const link = this.activity.link;
    const recorded = [this, this.activity.to].flatMap((c) => (c.recording ? [c.recording] : []));
    return { link, gate: link.a === this.leg.audio ? 'a' : 'b', masks: recordingMasks(recorded) };
  }

  /** A prompt into a bridge: the bridge's own audio path pauses for it and resumes after. */
  private announce(link: BridgeLink, pcm: Int16Array): Promise<'completed' | 'stopped'> {
    return this.overBridge(link, () => announceToBridge(link.a, link.b, pcm));
  }

  /** Pauses the bridge's own audio path for what `start` plays over it, and puts it back when that ends. */
  private async overBridge(link: BridgeLink, start: () => Playback): Promise<'completed' | 'stopped'> {
    takeAudio(link);
    const playback = start();
    link.announcing = playback;
    const end = await playback.done;
    if (link.announcing === playback) {
      link.announcing = null;
      if (link.live) link.stopAudio = link.connect();
    }
    return end;
  }

  stopPlayback(): void {
    if (this.activity.kind === 'playing') this.stopActivity();
    if (this.activity.kind === 'bridged') this.activity.link.announcing?.stop();
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
    this.stopActivity();
    other.stopActivity();
    const link: BridgeLink = { a, b, stopAudio: bridgeAudio(a, b), announcing: null, live: true, connect: () => bridgeAudio(a, b), supervision: null, consult: null };
    // Key presses cross the bridge as events (RFC 4733 to a phone, `call.dtmf` to an app):
    // the legs decode them out of the audio, so without this the far end would never know.
    const toOther = (digit: string) => void other.leg.audio?.sendDtmf(digit).catch((err) => this.ctx.log.debug({ err }, 'dtmf not relayed'));
    const toThis = (digit: string) => void this.leg.audio?.sendDtmf(digit).catch((err) => this.ctx.log.debug({ err }, 'dtmf not relayed'));
    this.leg.on('dtmf', toOther);
    other.leg.on('dtmf', toThis);
    const stop = () => {
      link.live = false;
      link.announcing?.stop();
      link.stopAudio();
      this.leg.off('dtmf', toOther);
      other.leg.off('dtmf', toThis);
    };
    this.activity = { kind: 'bridged', to: other, stop, link };
    other.activity = { kind: 'bridged', to: this, stop: () => {}, link };
    await this.emit('call.bridged', { otherCallId: other.id });
    await other.emit('call.bridged', { otherCallId: this.id });
    // When one side hangs up, the other is released back to idle (its flow decides what next),
    // unless it is on another bridge by then (a transfer moved it).
    const onThisLink = (c: Call) => c.activity.kind === 'bridged' && c.activity.link === link;
    void other.whenEnded().then(() => onThisLink(this) && this.stopActivity());
    void this.whenEnded().then(() => onThisLink(other) && other.stopActivity());
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

  /**
   * Puts `supervisor` (an answered call of the supervisor's) on this call's bridge, or
   * changes its mode: it hears both parties; `agent` (the bridged call) hears it when
   * whispering or barging, this call's party only when barging. It leaves when its call
   * ends or anything else takes its audio; either party hanging up hangs it up.
   */
  supervise(supervisor: Call, mode: SuperviseMode): void {
    if (this.activity.kind !== 'bridged') throw conflict('call_not_bridged', 'The call is not connected to an agent');
    const link = this.activity.link;
    const agent = this.activity.to;
    if (link.consult) throw conflict('call_consulting', 'The agent is consulting someone on this call');
    if (link.supervision) {
      if (link.supervision.supervisor !== supervisor) throw conflict('call_supervised', 'Another supervisor is on this call');
      link.supervision.mode.current = mode;
      return;
    }
    if (supervisor === this || supervisor === agent) throw conflict('call_supervised', 'A party of the call cannot supervise it');
    const ports = { customer: this.requireMedia(), agent: agent.requireMedia(), supervisor: supervisor.requirePcm() };
    supervisor.stopActivity();
    const state = { supervisor, mode: { current: mode } };
    takeAudio(link);
    link.supervision = state;
    link.connect = () => superviseAudio(ports, state.mode);
    link.stopAudio = link.connect();
    const leave = () => {
      if (link.supervision !== state) return;
      link.supervision = null;
      link.connect = () => bridgeAudio(link.a, link.b);
      if (link.live && !link.announcing) {
        link.stopAudio();
        link.stopAudio = link.connect();
      }
    };
    supervisor.activity = { kind: 'supervising', stop: leave };
    const release = () => void supervisor.hangup('supervised_call_ended').catch((err) => this.ctx.log.debug({ err }, 'hanging up the supervisor failed'));
    void this.whenEnded().then(release);
    void agent.whenEnded().then(release);
  }

  /**
   * The agent's consult on this call's bridge (this call is the customer's): `hold` while
   * `target` rings (pass null) — the customer and agent hear nobody; `consult` — the agent
   * and `target` talk, the customer hears neither; `conference` — all three. Called again
   * to change the mix or to add the target once it answered. `endConsult` (or the target's
   * call taking other audio or ending) puts the plain bridge back.
   */
  consult(target: Call | null, mix: ConsultMix): void {
    if (this.activity.kind !== 'bridged') throw conflict('call_not_bridged', 'The call is not connected to an agent');
    const link = this.activity.link;
    const agent = this.activity.to;
    if (link.supervision) throw conflict('call_supervised', 'A supervisor is on this call');
    if (target === this || target === agent) throw conflict('call_consulting', 'A party of the call cannot be consulted on it');
    const state = link.consult ?? { target: null, routes: { current: CONSULT_ROUTES[mix] } };
    state.routes.current = CONSULT_ROUTES[mix];
    if (link.consult && state.target === target) return;
    const ports = { customer: this.requireMedia(), agent: agent.requireMedia(), ...(target ? { target: target.requirePcm() } : {}) };
    target?.stopActivity();
    takeAudio(link);
    state.target = target;
    link.consult = state;
    link.connect = () => consultAudio(ports, state.routes);
    link.stopAudio = link.connect();
    if (target) target.activity = { kind: 'consulted', stop: () => this.endConsult(target) };
  }

  /** Ends the consult on this call's bridge (of `target` only, when given): the customer and agent hear each other again. */
  endConsult(target?: Call): void {
    const link = this.activity.kind === 'bridged' ? this.activity.link : null;
    const state = link?.consult;
    if (!link || !state || (target && state.target !== target)) return;
    link.consult = null;
    if (state.target?.activity.kind === 'consulted') state.target.activity = { kind: 'idle' };
    link.connect = () => bridgeAudio(link.a, link.b);
    if (link.live && !link.announcing) {
      link.stopAudio();
      link.stopAudio = link.connect();
    }
  }

  /** The supervisor's call on this call's bridge and how it is on it, if any. */
  get supervision(): { supervisor: Call; mode: SuperviseMode } | null {
    const s = this.activity.kind === 'bridged' ? this.activity.link.supervision : null;
    return s ? { supervisor: s.supervisor, mode: s.mode.current } : null;
  }

  get bridgedTo(): Call | null {
    return this.activity.kind === 'bridged' ? this.activity.to : null;
  }

  async startRecording(mode: 'received' | 'mixed' = 'mixed'): Promise<string> {
    const session = this.requirePcm();
    if (this.recording) throw conflict('already_recording', 'The call is already being recorded');
    // WAV (8 kHz PCM) stays the format of G.711 calls; an Opus call is recorded as Ogg/Opus.
    const format = session instanceof OpusBrowserAudio ? 'ogg' : 'wav';
    const row = await this.repo.addRecording({ tenantId: this.record.tenantId, callId: this.id, mode, format, dir: `${this.ctx.config.dataDir}/recordings` });
    this.recording = { id: row.id, rec: await startRecording(session, row.path, mode, format) };
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

/**
 * Where each recording holds comfort noise for a confidential window: `start` masks them
 * all (noting each one's offset), `end` unmasks them in the same tick the window closes
 * (a clock catching up runs several ticks in a row, before any promise settles).
 */
function recordingMasks(recorded: { id: string; rec: Recording }[]) {
  let masks: (RecordingMask & { rec: Recording })[] = [];
  return {
    start: () => {
      if (masks.length === 0) masks = recorded.map((r) => ({ recordingId: r.id, rec: r.rec, offsetMs: r.rec.mask(true), durationMs: 0 }));
    },
    end: () => {
      for (const m of masks) if (m.durationMs === 0) m.durationMs = Math.max(1, m.rec.mask(false) - m.offsetMs);
    },
    list: (): RecordingMask[] => masks.map(({ recordingId, offsetMs, durationMs }) => ({ recordingId, offsetMs, durationMs })),
  };
}
