import type { BatchResult, DetectorKind, Emergency, EmergencyLocation, EmergencySettings, GnssFix } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Call } from '../calls/call.js';
import type { Telephony } from '../calls/telephony.js';
import { notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { SipResponse } from '../sip/message.js';
import type { BodyPart } from '../sip/multipart.js';
import { byReference, emergencyCallData } from './call-data.js';
import { sendCapMessage } from './cap-message.js';
import { decodeAudio, type ParsedBatch } from './device-batch.js';
import { DeviceBuffers } from './device-buffers.js';
import { toDevice, type DeviceRepo } from './device-repo.js';
import { detectCrash } from './detectors/crash-detector.js';
import type { Detection } from './detectors/detection.js';
import { detectFall, FALL_THRESHOLDS, type FallThresholds } from './detectors/fall-detector.js';
import { detectCoAlarm, detectSmokeAlarm } from './detectors/tone-pattern-detector.js';
import { buildMsd, ecallUrn, isTestService } from './ecall.js';
import { encodeMsd, MSD_CONTENT_TYPE, type Msd } from './ecall-msd.js';
import { emergencyErrors } from './emergency-errors.js';
import { contactSms, emergencyMessage, kindLabel } from './emergency-message.js';
import type { EmergenciesTable, EmergencyDevicesTable } from './emergency-tables.js';
import { nextConveyance, parseGeolocationError, type LocationConveyance } from './geolocation-error.js';
import { locate } from './location.js';
import type { EmergencySettingsRepo } from './settings-repo.js';

const ACTIVE: EmergenciesTable['state'][] = ['countdown', 'calling', 'answered'];
/** Pause between plays of the message, ms. */
const MESSAGE_PAUSE_MS = 2000;

export function toEmergency(r: EmergenciesTable, deviceName: string): Emergency {
  const evidence = JSON.parse(r.evidence) as Emergency['evidence'];
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceName,
    kind: r.kind,
    confidence: r.confidence,
    state: r.state,
    location: r.location ? (JSON.parse(r.location) as EmergencyLocation) : null,
    evidence,
    interactionId: r.interaction_id,
    callAt: Number(r.call_at),
    psap: r.psap,
    attempts: r.attempts,
    createdAt: Number(r.created_at),
    endedAt: r.ended_at == null ? null : Number(r.ended_at),
  };
}

/** A place to call: the INVITE goes to `to`; `requestUri` is the service URN when one was routed. */
interface CallTarget {
  to: string;
  requestUri?: string;
  label: string;
  /** The device's PSAP entry this came from (what tenant settings are keyed by). */
  route: string;
}

/**
 * From device data to a located, spoken call: detectors over each device's recent
 * data, the owner's cancel window, the INVITE to the PSAPs in order (retried, then the
 * next), the message looped on answer with 1 repeat / 0 bridge, SMS to contacts.
 */
export class EmergencyService {
  readonly buffers = new DeviceBuffers();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly calls = new Map<string, Call>();
  private closed = false;
  /** The fall detector's inactivity (tests and the demo shorten it). */
  fallThresholds: FallThresholds = { ...FALL_THRESHOLDS };
  /** Observers (the benchmark): an INVITE went out for an emergency. */
  onCalling?: (emergencyId: string) => void;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: { devices: DeviceRepo; settings: EmergencySettingsRepo; telephony: () => Telephony | undefined },
  ) {}

  /** One batch of a device: validated already; decodes, buffers, detects; may start an emergency. */
  async ingest(device: EmergencyDevicesTable, batch: ParsedBatch): Promise<BatchResult> {
    const audio = batch.audio ? decodeAudio(batch.audio) : undefined;
    const fixes: GnssFix[] = batch.gnss ?? [];
    const bufferedFixes = this.buffers.addFixes(device.id, fixes);
    const detections: Detection[] = [];
    if (batch.motion) {
      const m = this.buffers.addMotion(device.id, batch.motion);
      const crash = detectCrash(m, bufferedFixes);
      const fall = crash ? undefined : detectFall(m, this.fallThresholds);
      for (const d of [crash, fall]) if (d) detections.push(d);
      if (crash || fall) this.buffers.clear(device.id, 'motion');
    }
    if (audio) {
      const a = this.buffers.addAudio(device.id, audio);
      const smoke = detectSmokeAlarm(a);
      const co = smoke ? undefined : detectCoAlarm(a);
      for (const d of [smoke, co]) if (d) detections.push(d);
      if (smoke || co) this.buffers.clear(device.id, 'audio');
    }
    const newest = fixes.length ? fixes.reduce((a, b) => (b.t > a.t ? b : a)) : null;
    await this.deps.devices.seen(device.id, newest, batch.deviceInfo, batch.battery);
    let emergencyId: string | null = null;
    const top = detections.sort((a, b) => b.confidence - a.confidence)[0];
    if (top) emergencyId = await this.start(device, top, bufferedFixes, batch.vehicle?.passengers);
    return { accepted: true, emergencyId, detections: detections.map((d) => ({ kind: d.kind, confidence: d.confidence })) };
  }

  private async start(device: EmergencyDevicesTable, d: Detection, fixes: GnssFix[], passengers?: number): Promise<string | null> {
    const active = await this.ctx.store.db.selectFrom('emergencies').select('id').where('device_id', '=', device.id).where('state', 'in', ACTIVE).executeTakeFirst();
    if (active) {
      this.ctx.log.info({ deviceId: device.id, emergencyId: active.id, kind: d.kind }, 'detection while an emergency is active; not started again');
      return active.id;
    }
    const dev = toDevice(device);
    const stored = dev.lastFix ? [dev.lastFix] : [];
    const location = locate(fixes.length ? fixes : stored, dev.civicAddress);
    const settings = await this.deps.settings.get(device.tenant_id);
    const interaction = await this.ctx.interactions.create({ tenantId: device.tenant_id, channel: 'app', customerId: device.owner_user_id, subject: `${kindLabel(d.kind)} — ${device.name}` });
    const now = Date.now();
    // The MSD is the car's state at the incident: built now, from the fixes up to it; sent with each INVITE.
    const msd = dev.kind === 'car' && dev.vehicle ? buildMsd({ vehicle: dev.vehicle, detectedAt: now, fixes: fixes.length ? fixes : stored, automatic: true, testCall: false, passengers }) : null;
    const row: EmergenciesTable = {
      id: newId('emg'),
      tenant_id: device.tenant_id,
      device_id: device.id,
      interaction_id: interaction.id,
      kind: d.kind,
      confidence: d.confidence,
      state: 'countdown',
      location: location ? JSON.stringify(location) : null,
      evidence: JSON.stringify({ window: d.window, figures: d.evidence }),
      call_at: now + settings.cancelSeconds * 1000,
      psap: null,
      attempts: 0,
      created_at: now,
      ended_at: null,
      msd: msd ? JSON.stringify(msd) : null,
    };
    await this.ctx.store.db.insertInto('emergencies').values(row).execute();
    const base = { tenantId: row.tenant_id, interactionId: row.interaction_id, ...(device.owner_user_id ? { userIds: [device.owner_user_id] } : {}) };
    await this.ctx.bus.publish({ ...base, type: 'emergency.detected', data: { emergencyId: row.id, deviceId: device.id, kind: d.kind, confidence: d.confidence, window: d.window, location } });
    await this.ctx.bus.publish({
      ...base,
      type: 'emergency.countdown',
      data: { emergencyId: row.id, deviceId: device.id, kind: d.kind, callAt: row.call_at, seconds: settings.cancelSeconds, ownerUserId: device.owner_user_id, location },
    });
    const timer = setTimeout(() => {
      this.timers.delete(row.id);
      this.track(this.callPsaps(row.id).catch((err) => this.ctx.log.error({ err, emergencyId: row.id }, 'emergency call failed')));
    }, settings.cancelSeconds * 1000);
    this.timers.set(row.id, timer);
    return row.id;
  }

  private track<T>(p: Promise<T>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  async get(tenantId: string, id: string): Promise<Emergency> {
    const row = await this.ctx.store.db.selectFrom('emergencies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Emergency');
    const dev = await this.deps.devices.get(tenantId, row.device_id);
    return toEmergency(row, dev?.name ?? '');
  }

  async list(tenantId: string, q: { active?: boolean; ownerUserId?: string; limit?: number }): Promise<Emergency[]> {
    let query = this.ctx.store.db
      .selectFrom('emergencies')
      .innerJoin('emergency_devices', 'emergency_devices.id', 'emergencies.device_id')
      .selectAll('emergencies')
      .select('emergency_devices.name as device_name')
      .where('emergencies.tenant_id', '=', tenantId);
    if (q.active) query = query.where('emergencies.state', 'in', [...ACTIVE, 'failed']);
    if (q.ownerUserId) query = query.where('emergency_devices.owner_user_id', '=', q.ownerUserId);
    const rows = await query.orderBy('emergencies.id', 'desc').limit(q.limit ?? 50).execute();
    return rows.map((r) => toEmergency(r, r.device_name));
  }

  /** Cancels a countdown (the owner, staff, or the device); 409 once the call is placed. */
  async cancel(tenantId: string, id: string, by: string | null): Promise<Emergency> {
    const res = await this.ctx.store.db
      .updateTable('emergencies')
      .set({ state: 'cancelled', ended_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', 'countdown')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      const e = await this.get(tenantId, id);
      throw emergencyErrors.notCancellable(e.state);
    }
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    const e = await this.get(tenantId, id);
    const dev = await this.deps.devices.get(tenantId, e.deviceId);
    await this.ctx.bus.publish({ tenantId, interactionId: e.interactionId, ...(dev?.owner_user_id ? { userIds: [dev.owner_user_id] } : {}), type: 'emergency.cancelled', data: { emergencyId: id, by } });
    return e;
  }

  /** Where the device's PSAPs route: SIP URIs and numbers as they are, service URNs through the tenant's routes. */
  targets(psaps: string[], settings: EmergencySettings): CallTarget[] {
    const out: CallTarget[] = [];
    for (const p of psaps) {
      if (/^urn:service:/i.test(p)) {
        const routes = settings.serviceRoutes[p.toLowerCase()] ?? settings.serviceRoutes[p] ?? (p.toLowerCase().startsWith('urn:service:sos.') ? settings.serviceRoutes['urn:service:sos'] : undefined) ?? [];
        for (const r of routes) out.push({ to: r, requestUri: p, label: `${p} via ${r}`, route: p });
      } else out.push({ to: p, label: p, route: p });
    }
    return out;
  }

  private async update(id: string, set: Partial<EmergenciesTable>): Promise<void> {
    await this.ctx.store.db.updateTable('emergencies').set(set).where('id', '=', id).execute();
  }

  /** After the window: each PSAP in order, `attemptsPerPsap` times, until one answers. */
  async callPsaps(id: string): Promise<void> {
    const row = await this.ctx.store.db.selectFrom('emergencies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.state !== 'countdown' || this.closed) return;
    const device = (await this.deps.devices.get(row.tenant_id, row.device_id))!;
    const settings = await this.deps.settings.get(row.tenant_id);
    const tel = this.deps.telephony();
    // The owner's /phone follows the call too (their alert says it is calling, then answered).
    const owner = device.owner_user_id ? { userIds: [device.owner_user_id] } : {};
    const ev = (type: 'emergency.calling' | 'emergency.answered' | 'emergency.ended', data: never) => this.ctx.bus.publish({ tenantId: row.tenant_id, interactionId: row.interaction_id, ...owner, type, data } as never);
    await this.update(id, { state: 'calling' });
    const targets = this.targets(toDevice(device).psaps, settings);
    this.track(this.textContacts(row, device));
    let attempts = 0;
    if (tel) {
      for (const target of targets) {
        const mode = device.kind === 'alarm' ? settings.capRoutes?.[target.route] : undefined;
        // A data-only alert needs a SIP address to send the MESSAGE to; a number via a trunk only gets the call.
        if (mode && /^sips?:/i.test(target.to) && (await this.alertByMessage(row, device, settings, target, tel, mode)) && mode === 'alone') {
          await this.update(id, { state: 'ended', psap: target.label, ended_at: Date.now() });
          await ev('emergency.ended', { emergencyId: id, outcome: 'delivered', reason: 'the emergency service accepted the data alert' } as never);
          return;
        }
        const conveyance = { now: 'full' as LocationConveyance };
        for (let i = 0; i < settings.attemptsPerPsap && !this.closed; i++) {
          attempts++;
          await this.update(id, { psap: target.label, attempts });
          let call: Call;
          try {
            call = await this.invite(row, device, settings, target, tel, conveyance);
          } catch (err) {
            this.ctx.log.warn({ err, emergencyId: id, psap: target.label }, 'emergency call attempt failed');
            continue;
          }
          this.onCalling?.(id);
          await ev('emergency.calling', { emergencyId: id, psap: target.label, attempt: attempts, callId: call.id } as never);
          const answered = await call.leg.answeredOrEnded();
          if (!answered) {
            this.ctx.log.info({ emergencyId: id, psap: target.label, attempt: attempts }, 'emergency call unanswered');
            continue;
          }
          await this.update(id, { state: 'answered' });
          await ev('emergency.answered', { emergencyId: id, psap: target.label, callId: call.id } as never);
          await this.converse(row, device, settings, call, tel);
          await this.update(id, { state: 'ended', ended_at: Date.now() });
          await ev('emergency.ended', { emergencyId: id, outcome: 'completed', reason: 'call ended' } as never);
          return;
        }
      }
    }
    // Nobody answered: the emergency stays visible as failed (in /admin) rather than vanishing.
    await this.update(id, { state: 'failed', ended_at: Date.now() });
    await ev('emergency.ended', { emergencyId: id, outcome: 'unanswered', reason: tel ? `no PSAP answered after ${attempts} attempts` : 'telephony is not running' } as never);
  }

  /** The RFC 8876 MESSAGE with CAP to one PSAP; true when it took it (2xx). */
  private async alertByMessage(row: EmergenciesTable, device: EmergencyDevicesTable, settings: EmergencySettings, target: CallTarget, tel: Telephony, mode: 'alone' | 'pre-alert'): Promise<boolean> {
    const data = await emergencyCallData(this.ctx, row, device, settings);
    const res = await sendCapMessage(tel, { row, device, data, to: target.to, requestUri: target.requestUri, test: isTestService(target.requestUri) });
    const base = { tenantId: row.tenant_id, interactionId: row.interaction_id };
    const ok = res.status !== null && res.status >= 200 && res.status < 300;
    if (ok) await this.ctx.bus.publish({ ...base, type: 'emergency.cap.sent', data: { emergencyId: row.id, psap: target.label, status: res.status!, mode } });
    else {
      this.ctx.log.info({ emergencyId: row.id, psap: target.label, status: res.status, reason: res.reason }, 'the PSAP did not take the data-only alert; calling');
      await this.ctx.bus.publish({ ...base, type: 'emergency.cap.refused', data: { emergencyId: row.id, psap: target.label, status: res.status, reason: res.reason } });
    }
    return ok;
  }

  /**
   * The INVITE: SDP, the PIDF-LO by value (Geolocation <cid:>), the RFC 7852 blocks, a
   * callback number. A 424 is answered at once with less location (geolocation-error.ts);
   * `conveyance` remembers how much this PSAP takes, for the next attempt.
   */
  private async invite(row: EmergenciesTable, device: EmergencyDevicesTable, settings: EmergencySettings, target: CallTarget, tel: Telephony, conveyance: { now: LocationConveyance }): Promise<Call> {
    const data = await emergencyCallData(this.ctx, row, device, settings);
    const { cid, location } = data;
    const dataParts = [...data.dataParts];
    const callInfo = [...data.callInfo];
    // A car with vehicle data places an eCall (RFC 8147): the eCall service URN and its MSD, binary, by reference.
    const msd = row.msd ? (JSON.parse(row.msd) as Msd) : null;
    const msdBytes = msd ? encodeMsd({ ...msd, testCall: isTestService(target.requestUri) }) : null;
    if (msdBytes) {
      dataParts.push(byReference(MSD_CONTENT_TYPE, cid('msd'), msdBytes));
      callInfo.push(`<cid:${cid('msd')}>;purpose=EmergencyCallData.eCall.MSD`);
    }
    const requestUri = (msd && target.requestUri && ecallUrn(target.requestUri, msd.automaticActivation)) || target.requestUri;
    const hasBoth = !!location?.civic && location.lat !== null;
    // Without location the INVITE still goes: Geolocation and its routing header are removed, not left dangling.
    const withLocation = (c: LocationConveyance): { headers: Record<string, string | null>; bodyParts: BodyPart[] } => {
      const loc = c === 'none' || !location ? null : c === 'single' && hasBoth ? { ...location, civic: null } : location;
      if (!loc) return { headers: { Geolocation: null, 'Geolocation-Routing': null }, bodyParts: dataParts };
      return { headers: { Geolocation: `<cid:${cid('loc')}>`, 'Geolocation-Routing': 'yes' }, bodyParts: [data.pidfPart(loc), ...dataParts] };
    };
    const first = withLocation(conveyance.now);
    const headers: Record<string, string | string[]> = { ...data.headers, Accept: 'application/sdp' };
    for (const [k, v] of Object.entries(first.headers)) if (v !== null) headers[k] = v;
    headers['Call-Info'] = callInfo;
    const retry = (res: SipResponse) => {
      if (res.status !== 424) return undefined;
      const error = parseGeolocationError(res.headers.get('geolocation-error'));
      const next = nextConveyance(conveyance.now, error, hasBoth);
      if (!next) return undefined;
      conveyance.now = next;
      this.ctx.log.info({ emergencyId: row.id, psap: target.label, code: error.code, next }, 'the PSAP refused the location; sending the INVITE again with less');
      this.track(
        this.ctx.bus
          .publish({ tenantId: row.tenant_id, interactionId: row.interaction_id, type: 'emergency.location.refused', data: { emergencyId: row.id, psap: target.label, code: error.code, reason: error.text, retriedWith: next } })
          .catch((err) => this.ctx.log.warn({ err, emergencyId: row.id }, 'publishing emergency.location.refused failed')),
      );
      return withLocation(next);
    };
    const call = await tel.manager.originate(row.tenant_id, {
      to: target.to,
      requestUri,
      actor: { kind: 'device', deviceId: device.id },
      via: 'emergency',
      from: data.from,
      interactionId: row.interaction_id,
      timeoutSeconds: settings.ringSeconds,
      headers,
      bodyParts: first.bodyParts,
      retry,
    });
    if (msd && msdBytes) {
      const data = { emergencyId: row.id, psap: target.label, bytes: msdBytes.length, version: msd.version, testCall: isTestService(target.requestUri) };
      await this.ctx.bus.publish({ tenantId: row.tenant_id, interactionId: row.interaction_id, type: 'emergency.msd.sent', data });
    }
    return call;
  }

  /** On answer: the message loops with a pause; 1 repeats at once, 0 bridges to the owner (or the first contact). */
  private async converse(row: EmergenciesTable, device: EmergencyDevicesTable, settings: EmergencySettings, call: Call, tel: Telephony): Promise<void> {
    this.calls.set(row.id, call);
    try {
      const location = row.location ? (JSON.parse(row.location) as EmergencyLocation) : null;
      const owner = device.owner_user_id ? await this.ctx.users.get(row.tenant_id, device.owner_user_id) : undefined;
      const contacts = toDevice(device).contacts;
      const bridgeTo = owner ? `user:${owner.id}` : contacts[0]?.phone;
      const text = emergencyMessage({
        kind: row.kind,
        confidence: row.confidence,
        detectedAt: Number(row.created_at),
        location,
        ownerName: settings.speakOwnerName ? (owner?.name ?? null) : null,
        callbackNumber: device.callback_number ?? settings.callbackNumber,
        canBridge: !!bridgeTo,
      });
      const pcm = await tel.media.tts.synthesize(text);
      // Kept with the call, so /admin can replay what the PSAP heard (and said).
      await call.startRecording('mixed').catch((err) => this.ctx.log.warn({ err, emergencyId: row.id }, 'recording the emergency call failed'));
      const keys: string[] = [];
      let wake: (() => void) | null = null;
      const onDigit = (d: string) => {
        if (d !== '0' && d !== '1') return;
        keys.push(d);
        call.stopPlayback();
        wake?.();
      };
      call.leg.on('dtmf', onDigit);
      const ended = call.whenEnded();
      let times = 0;
      try {
        while (!call.closed && !this.closed) {
          if (!keys.length) {
            const end = await call.playPcm(pcm).catch(() => 'stopped' as const);
            if (end === 'completed') {
              times++;
              await this.ctx.bus.publish({ tenantId: row.tenant_id, interactionId: row.interaction_id, type: 'emergency.message.played', data: { emergencyId: row.id, callId: call.id, times } });
            }
          }
          if (!keys.length && !call.closed) {
            await Promise.race([new Promise<void>((r) => {
              wake = r;
              setTimeout(r, MESSAGE_PAUSE_MS).unref();
            }), ended]);
            wake = null;
          }
          const key = keys.shift();
          if (key === '0' && bridgeTo && !call.closed) {
            await this.ctx.bus.publish({ tenantId: row.tenant_id, interactionId: row.interaction_id, type: 'emergency.bridged', data: { emergencyId: row.id, callId: call.id, to: bridgeTo } });
            const outcome = await tel.manager.connect(call, bridgeTo, { timeoutSeconds: 30, actor: { kind: 'device', deviceId: device.id } });
            if (outcome === 'completed') break;
          }
        }
      } finally {
        call.leg.off('dtmf', onDigit);
      }
      if (!call.closed) await call.hangup('completed');
    } finally {
      this.calls.delete(row.id);
    }
  }

  private async textContacts(row: EmergenciesTable, device: EmergencyDevicesTable): Promise<void> {
    const contacts = toDevice(device).contacts;
    const sms = this.ctx.services.maybe('sms');
    if (!contacts.length) return;
    const location = row.location ? (JSON.parse(row.location) as EmergencyLocation) : null;
    const text = contactSms({ deviceName: device.name, kind: row.kind as DetectorKind, location });
    for (const c of contacts) {
      let ok = false;
      try {
        if (sms) {
          await sms.send(row.tenant_id, { to: c.phone, text, interactionId: row.interaction_id });
          ok = true;
        }
      } catch (err) {
        this.ctx.log.warn({ err, emergencyId: row.id }, 'texting an emergency contact failed');
      }
      await this.ctx.bus.publish({ tenantId: row.tenant_id, interactionId: row.interaction_id, type: 'emergency.contacted', data: { emergencyId: row.id, to: c.phone, ok } });
    }
  }

  /** Idempotent: stops countdowns (they resume nowhere: the rows stay as they are), hangs up calls in progress. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.calls.values()].map((c) => c.hangup('shutdown').catch(() => undefined)));
    await Promise.allSettled([...this.running]);
  }
}
