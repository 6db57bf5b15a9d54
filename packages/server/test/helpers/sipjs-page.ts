import { createRequire } from 'node:module';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/**
 * SIP.js (npm `sip.js`, OnSIP's client) in the page as a SIP-over-WebSocket phone, driven
 * through `window.phone`. It uses SIP.js's own UserAgent/Registerer/Inviter and its stock
 * web SessionDescriptionHandler, so the SDP, ICE and DTLS are what a SIP.js deployment sends.
 */
const PAGE_SCRIPT = `
window.phone = (() => {
  let ua, session;
  const audio = document.createElement('audio');
  audio.id = 'remote'; audio.autoplay = true; document.body.appendChild(audio);
  const events = [];
  const watch = (s) => {
    session = s;
    s.delegate = {
      onBye: () => events.push('bye'),
      onInfo: (info) => { events.push('info:' + info.request.body); info.accept(); },
    };
    return new Promise((resolve, reject) => s.stateChange.addListener((state) => {
      if (state === 'Established') {
        audio.srcObject = s.sessionDescriptionHandler.remoteMediaStream;
        events.push('established');
        resolve(true);
      }
      if (state === 'Terminated') { events.push('terminated'); reject(new Error('call ended before it was established')); }
    }));
  };
  return {
    events,
    async register(wsUrl, user, password, pcConfig, outbound) {
      ua = new SIP.UserAgent({
        ...(outbound ? { instanceId: outbound.instanceId } : {}),
        uri: SIP.UserAgent.makeURI('sip:' + user + '@127.0.0.1'),
        transportOptions: { server: wsUrl },
        authorizationUsername: user,
        authorizationPassword: password,
        logLevel: 'error',
        sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: pcConfig || { iceServers: [] } },
        delegate: { onInvite: (inv) => { events.push('incoming'); window.incoming = inv; } },
      });
      await ua.start();
      const registerer = new SIP.Registerer(ua, outbound ? { regId: outbound.regId } : {});
      window.registerer = registerer;
      const registered = new Promise((resolve, reject) => registerer.stateChange.addListener((s) => {
        if (s === 'Registered') resolve(true);
        if (s === 'Terminated') reject(new Error('registration ended'));
      }));
      await registerer.register({ requestDelegate: { onReject: (r) => events.push('register-rejected:' + r.message.statusCode) } });
      return registered;
    },
    call(target) {
      const inviter = new SIP.Inviter(ua, SIP.UserAgent.makeURI(target), { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
      const established = watch(inviter);
      inviter.invite().catch((e) => events.push('invite-error:' + e.message));
      return established;
    },
    answer() {
      const s = window.incoming;
      const established = watch(s);
      s.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
      return established;
    },
    /** RFC 4733 through the peer connection's RTCDTMFSender (SIP.js's sendDtmf). */
    dtmf(tones) { return session.sessionDescriptionHandler.sendDtmf(tones, { duration: 120, interToneGap: 100 }); },
    /** SIP INFO application/dtmf-relay, the other way SIP.js apps send keys. */
    info(tone) {
      return session.info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: 'Signal=' + tone + '\\r\\nDuration=120' } } }).then(() => true);
    },
    /** Sends BYE and resolves once SIP.js has had its final response (state Terminated). */
    hangup() {
      if (!session || session.state !== 'Established') return Promise.resolve(false);
      const done = new Promise((resolve) => session.stateChange.addListener((s) => { if (s === 'Terminated') resolve(true); }));
      return session.bye().then(() => done);
    },
    state() { return session ? session.state : 'none'; },
    async inbound() {
      const stats = await session.sessionDescriptionHandler.peerConnection.getStats();
      let r = { packets: 0, level: 0 };
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') r = { packets: s.packetsReceived, level: s.audioLevel || 0 }; });
      return r;
    },
    async pair() {
      const stats = await session.sessionDescriptionHandler.peerConnection.getStats();
      const byId = new Map(); stats.forEach((s) => byId.set(s.id, s));
      let local;
      stats.forEach((s) => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') local = byId.get(s.localCandidateId); });
      return local ? { type: local.candidateType, relayProtocol: local.relayProtocol || null } : null;
    },
  };
})();
`;

/** Opens a page at `origin` (any page of the test server) with SIP.js and the driver loaded. */
export async function openSipJsPage(browser: Browser, origin: string): Promise<Page> {
  const bundle = await build({ entryPoints: [require.resolve('sip.js')], bundle: true, format: 'iife', globalName: 'SIP', write: false, platform: 'browser', logLevel: 'silent' });
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/healthz`);
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  await page.addScriptTag({ content: PAGE_SCRIPT });
  return page;
}

/** Calls `window.phone[fn](...args)` in the page. */
export function phoneCall<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([f, a]) => (window as any).phone[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
}
