/**
 * A browser-style SIP-over-WebSocket client (RFC 7118, as SIP.js/JsSIP behave:
 * subprotocol "sip", Via host *.invalid, Contact ;transport=ws) registers with
 * digest through our registrar, then receives our INVITE over the very
 * connection it registered on (flowUri(binding.source) as proxy), answers,
 * and gets the ACK. A handshake without the "sip" subprotocol is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createAuthorization } from '../../src/sip/digest.js';
import { flowUri } from '../../src/sip/transport/flow.js';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { Registrar } from '../../src/sip/ua/registrar.js';
import { InMemoryRegistrationStore } from '../../src/sip/ua/registration-store.js';
import { sdp, selfSignedCert, startEndpoint } from './sip-endpoints.js';

let ep: SipEndpoint;
const store = new InMemoryRegistrationStore();
const registrar = new Registrar({ realm: 'ws.test', secret: 'k', store, credentials: async (_r, u) => (u === 'web' ? { password: 'pw' } : null) });

before(async () => {
  ep = await startEndpoint({ wsPort: 0 });
  ep.on('request', (req) => void registrar.handle(req));
});
after(() => ep.close());

/** Minimal browser UA: a queue of received SIP texts. */
async function browser() {
  const ws = new WebSocket(`ws://127.0.0.1:${ep.ports.ws}`, 'sip');
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const inbox: string[] = [];
  const waiters: Array<(m: string) => void> = [];
  ws.on('message', (d) => {
    const text = d.toString();
    const w = waiters.shift();
    if (w) w(text);
    else inbox.push(text);
  });
  const next = () => new Promise<string>((r) => (inbox.length ? r(inbox.shift()!) : waiters.push(r)));
  return { ws, next };
}

const header = (msg: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(msg)?.[1] ?? '';

describe('SIP over WebSocket', () => {
  it('registers a browser-style client and calls it over its own connection', async () => {
    const b = await browser();
    const register = (cseq: number, auth?: string) =>
      [
        'REGISTER sip:ws.test SIP/2.0',
        `Via: SIP/2.0/WS abc123.invalid;branch=z9hG4bKws${cseq}`,
        'Max-Forwards: 70',
        'From: <sip:web@ws.test>;tag=w1',
        'To: <sip:web@ws.test>',
        'Call-ID: ws-reg-1',
        `CSeq: ${cseq} REGISTER`,
        'Contact: <sip:k8a2@abc123.invalid;transport=ws>;expires=600',
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    b.ws.send(register(1));
    const challenge = await b.next();
    assert.match(challenge, /^SIP\/2\.0 401/);
    const auth = createAuthorization(header(challenge, 'WWW-Authenticate'), { method: 'REGISTER', uri: 'sip:ws.test', username: 'web', password: 'pw' });
    b.ws.send(register(2, auth));
    assert.match(await b.next(), /^SIP\/2\.0 200/);
    const [binding] = await store.lookup('sip:web@ws.test');
    assert.equal(binding.source.transport, 'ws');

    const out = ep.invite({ target: binding.contact, proxy: flowUri(binding.source), from: { uri: 'sip:agent@127.0.0.1' }, sdp: sdp() });
    const invite = await b.next();
    assert.match(invite, /^INVITE sip:k8a2@abc123\.invalid;transport=ws SIP\/2\.0/);
    assert.match(header(invite, 'Via'), /^SIP\/2\.0\/WS /);
    const answer = sdp(50000);
    b.ws.send(
      [
        'SIP/2.0 200 OK',
        `Via: ${header(invite, 'Via')}`,
        `From: ${header(invite, 'From')}`,
        `To: ${header(invite, 'To')};tag=brw1`,
        `Call-ID: ${header(invite, 'Call-ID')}`,
        `CSeq: ${header(invite, 'CSeq')}`,
        'Contact: <sip:k8a2@abc123.invalid;transport=ws>',
        'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(answer)}`,
        '',
        answer,
      ].join('\r\n'),
    );
    const { dialog } = await out.response;
    assert.match(await b.next(), /^ACK sip:k8a2@abc123\.invalid;transport=ws /);
    // In-dialog requests go to the .invalid target over the same connection.
    void dialog.bye();
    assert.match(await b.next(), /^BYE /);
    b.ws.close();
  });

  it('refuses a WebSocket without the sip subprotocol', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${ep.ports.ws}`);
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)).once('error', () => undefined));
    assert.equal(code, 1002);
  });

  it('WSS: a client trusting our certificate registers over TLS; one that does not cannot connect', async (t) => {
    const creds = selfSignedCert();
    const secure = await startEndpoint({ tls: creds, wssPort: 0 });
    t.after(() => secure.close());
    secure.on('request', (req) => void registrar.handle(req));
    const ws = new WebSocket(`wss://127.0.0.1:${secure.ports.wss}`, 'sip', { ca: creds.cert });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    assert.equal(ws.protocol, 'sip');
    const answer = new Promise<string>((r) => ws.once('message', (d) => r(d.toString())));
    ws.send(
      [
        'REGISTER sip:ws.test SIP/2.0',
        'Via: SIP/2.0/WSS s3cur3.invalid;branch=z9hG4bKwss1',
        'Max-Forwards: 70',
        'From: <sip:web@ws.test>;tag=s1',
        'To: <sip:web@ws.test>',
        'Call-ID: wss-reg-1',
        'CSeq: 1 REGISTER',
        'Contact: <sip:s3@s3cur3.invalid;transport=ws>;expires=600',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    // The registrar's digest challenge came back over the TLS connection.
    const res = await answer;
    assert.match(res, /^SIP\/2.0 401 /);
    assert.match(header(res, 'Via'), /^SIP\/2.0\/WSS s3cur3\.invalid;branch=z9hG4bKwss1/);
    ws.close();
    // Without trusting the self-signed certificate the TLS handshake fails.
    const untrusting = new WebSocket(`wss://127.0.0.1:${secure.ports.wss}`, 'sip');
    const err = await new Promise<Error>((r) => untrusting.once('error', r));
    assert.match(err.message, /self[- ]signed|certificate/i);
  });
});
