import type { Egress } from '../../core/egress.js';
import type { Logger } from '../../core/logger.js';
import type { Call } from '../call.js';
import type { CallRepo } from '../call-repo.js';
import { loadAudio } from './audio-source.js';
import type { FlowRepo } from './flow-repo.js';
import type { GatherVerb, Verb } from './flow-schema.js';
import type { FlowOutcome, VerbRegistry } from './verb-registry.js';

export type { FlowOutcome } from './verb-registry.js';

/** Operations a flow needs beyond the call itself (dialling involves another call). */
export interface FlowHost {
  /** Calls `target`, bridges it with `call` on answer, resolves when the bridge ends (or 'failed'). */
  dial(call: Call, target: string, opts: { timeoutSeconds: number; callerId?: string }): Promise<'completed' | 'failed'>;
}

const MAX_DEPTH = 10;

/**
 * Runs a flow's verbs on a call, in order, like TwiML: each verb finishes before
 * the next starts; `gather` and `webhook` choose the next verb list. A call that
 * ends stops the flow wherever it is.
 */
export class FlowRunner {
  constructor(
    private readonly deps: { flows: FlowRepo; calls: CallRepo; host: FlowHost; verbs: VerbRegistry; log: Logger; egress: Egress },
  ) {}

  async run(call: Call, verbs: Verb[], depth = 0): Promise<FlowOutcome> {
    if (call.record.direction === 'inbound' && call.state === 'ringing') await call.answer();
    for (const verb of verbs) {
      if (ended(call)) return 'ended';
      try {
        const outcome = await this.runVerb(call, verb, depth);
        if (outcome) return outcome;
      } catch (err) {
        if (ended(call)) return 'ended';
        // A failing verb (bad audio URL, webhook down) must not strand the caller in silence.
        this.deps.log.warn({ err, callId: call.id, verb: verb.verb }, 'flow verb failed; continuing');
      }
    }
    return ended(call) ? 'ended' : 'done';
  }

  private async runVerb(call: Call, verb: Verb, depth: number): Promise<FlowOutcome | void> {
    switch (verb.verb) {
      case 'say':
        for (let i = 0; i < verb.loop; i++) await call.say(verb.text, verb.voice);
        return;
      case 'play': {
        const pcm = await loadAudio(verb.url, call.record.tenantId, this.deps.calls, this.deps.egress);
        for (let i = 0; i < verb.loop; i++) await call.playPcm(pcm);
        return;
      }
      case 'pause':
        await Promise.race([sleep(verb.seconds * 1000), call.whenEnded()]);
        return;
      case 'hangup':
        await call.hangup(verb.reason ?? 'flow_hangup');
        return 'hangup';
      case 'echo':
        call.echo();
        await Promise.race([sleep(verb.seconds * 1000), call.whenEnded()]);
        return;
      case 'record': {
        if (verb.beep) await call.playPcm(await loadAudio('builtin:beep', call.record.tenantId, this.deps.calls, this.deps.egress));
        await call.startRecording('received');
        await Promise.race([
          sleep(verb.maxSeconds * 1000),
          call.whenEnded(),
          verb.finishOnKey ? call.collectDigits({ numDigits: 1, timeoutMs: verb.maxSeconds * 1000, finishOnKey: verb.finishOnKey }) : new Promise(() => {}),
        ]);
        if (call.state !== 'ended') await call.stopRecording();
        return;
      }
      case 'dial':
        await this.deps.host.dial(call, verb.target, { timeoutSeconds: verb.timeoutSeconds, callerId: verb.callerId });
        return;
      case 'redirect': {
        if (depth >= MAX_DEPTH) throw new Error('redirect depth exceeded');
        const flow = await this.deps.flows.get(call.record.tenantId, verb.flow);
        if (!flow) throw new Error(`no flow ${verb.flow}`);
        return this.run(call, flow.verbs, depth + 1);
      }
      case 'gather':
        return this.gather(call, verb, depth);
      case 'webhook':
        return this.webhook(call, verb.url, verb.timeoutSeconds, {}, depth);
      default: {
        // A feature's verb (deflect, room, enqueue…): its handler is in the feature's folder.
        const handler = this.deps.verbs.handler(verb.verb);
        if (!handler) throw new Error(`verb ${verb.verb} is not available on this server`);
        return handler.run(call, verb);
      }
    }
  }

  private async gather(call: Call, verb: GatherVerb, depth: number): Promise<FlowOutcome | void> {
    for (let attempt = 0; attempt < verb.attempts; attempt++) {
      // Collect while the prompt plays: the first key press interrupts it (barge-in).
      const digits = call.collectDigits({
        numDigits: verb.numDigits,
        timeoutMs: verb.timeoutSeconds * 1000,
        finishOnKey: verb.finishOnKey,
        onFirstDigit: () => call.stopPlayback(),
      });
      let entered = '';
      if (verb.prompt) {
        const promptDone = this.run(call, verb.prompt, depth + 1);
        const first = await Promise.race([promptDone.then(() => null), digits]);
        entered = first ?? (await digits);
      } else {
        entered = await digits;
      }
      if (call.state === 'ended') return 'ended';
      if (entered) {
        const branch = verb.branches[entered] ?? verb.branches.default;
        return branch ? this.run(call, branch, depth + 1) : undefined;
      }
    }
    if (verb.noInput) return this.run(call, verb.noInput, depth + 1);
  }

  private async webhook(call: Call, url: string, timeoutSeconds: number, extra: Record<string, unknown>, depth: number): Promise<FlowOutcome | void> {
    if (depth >= MAX_DEPTH) throw new Error('webhook depth exceeded');
    const res = await this.deps.egress.fetch(url, {
      tenantId: call.record.tenantId,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        callId: call.id,
        interactionId: call.record.interactionId,
        direction: call.record.direction,
        from: call.record.from,
        to: call.record.to,
        ...extra,
      }),
      timeoutMs: timeoutSeconds * 1000,
      maxBytes: 256 * 1024,
      maxRedirects: 0,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`flow webhook answered ${res.status}`);
    let json: { verbs?: unknown };
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new Error('flow webhook answered with something other than JSON');
    }
    const parsed = this.deps.verbs.list.safeParse(json?.verbs);
    if (!parsed.success) throw new Error(`flow webhook returned invalid verbs: ${parsed.error.issues[0]?.message}`);
    return this.run(call, parsed.data, depth + 1);
  }
}

/** A function, not an inline check, so TypeScript does not narrow a state that changes while we await. */
const ended = (call: Call) => call.state === 'ended';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
