/**
 * SIP over WebSocket (RFC 7118): how fast browser-style SIP clients register and set
 * up calls. A callsight server (its own process, CPU 0) and N raw SIP clients in this
 * process: each REGISTERs with digest as the demo `agent`, then places calls to `echo`
 * (INVITE → 407 → INVITE with credentials → 200 → ACK → BYE) with a plain RTP offer.
 * The same clients and sequence over SIP/UDP to the same server are the anchor, in the
 * same run: the ratio is what the WebSocket transport costs. Prints one JSON line.
 *
 *   npm run bench -- sip-ws
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import WebSocket from 'ws';
import { parseAuthHeader } from '../src/sip/auth-header.js';
import { digestResponse, type DigestAlgorithm } from '../src/sip/digest.js';
import { startServerProcess } from './_server-process.js';

const CLIENTS = Number(process.env.SIP_WS_BENCH_CLIENTS ?? 20);
const CALLS_PER_CLIENT = Number(process.env.SIP_WS_BENCH_CALLS ?? 10);
const port = () => 20000 + Math.floor(Math.random() * 30000);

/** One connection's way to send a SIP message and hear responses. */
interface Wire {
  via: string;
  contact: string;
  send(text: string): void;
  onMessage(cb: (text: string) => void): void;
  close(): void;
}

async function wsWire(url: string): Promise<Wire> {
  const ws = new WebSocket(url, 'sip');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const host = `${randomBytes(4).toString('hex')}.invalid`;
  return {
    via: `SIP/2.0/WS ${host}`,
    contact: `sip:agent@${host};transport=ws`,
    send: (t) => ws.send(t),
    onMessage: (cb) => ws.on('message', (d) => cb(d.toString())),
    close: () => ws.close(),
  };
}

async function udpWire(target: number): Promise<Wire> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  return {
    via: `SIP/2.0/UDP 127.0.0.1:${local}`,
    contact: `sip:agent@127.0.0.1:${local}`,
    send: (t) => sock.send(t, target, '127.0.0.1'),
    onMessage: (cb) => sock.on('message', (d) => cb(d.toString())),
    close: () => sock.close(),
  };
}

const header = (text: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(text)?.[1]?.trim() ?? '';
const status = (text: string) => Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);

/** A minimal UAC on one wire: requests by CSeq, answered by their final response. */
class Client {
  private cseq = 1;
  private readonly waiting = new Map<string, (text: string) => void>();
  private readonly tag = randomBytes(4).toString('hex');

  constructor(
    private readonly wire: Wire,
    private readonly domain: string,
  ) {
    wire.onMessage((text) => {
      if (!text.startsWith('SIP/2.0')) {
        // A request from the server (e.g. a BYE): answer 200.
        if (/^BYE /.test(text)) wire.send(this.responseTo(text));
        return;
      }
      if (status(text) < 200) return;
      const key = `${header(text, 'Call-ID')} ${header(text, 'CSeq')}`;
      this.waiting.get(key)?.(text);
      this.waiting.delete(key);
    });
  }

  private responseTo(req: string): string {
    const lines = ['Via', 'From', 'To', 'Call-ID', 'CSeq'].map((h) => `${h}: ${header(req, h)}`);
    return ['SIP/2.0 200 OK', ...lines, 'Content-Length: 0', '', ''].join('\r\n');
  }

  request(method: string, uri: string, callId: string, opts: { to?: string; auth?: string; body?: string; cseq?: number; branch?: string } = {}): Promise<string> {
    const cseq = opts.cseq ?? this.cseq++;
    const body = opts.body ?? '';
    const text = [
      `${method} ${uri} SIP/2.0`,
      `Via: ${this.wire.via};branch=${opts.branch ?? 'z9hG4bK' + randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:agent@${this.domain}>;tag=${this.tag}`,
      `To: ${opts.to ?? `<${uri.replace(/^(sip:[^@]+@[^;>]+).*$/, '$1')}>`}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <${this.wire.contact}>`,
      ...(method === 'REGISTER' ? ['Expires: 300'] : []),
      ...(opts.auth ? [opts.auth] : []),
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    const answer = new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method} timed out`)), 10_000);
      this.waiting.set(`${callId} ${cseq} ${method}`, (r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
    this.wire.send(text);
    return answer;
  }

  /** Sends a request, answering one digest challenge (401/407). */
  async authed(method: string, uri: string, callId: string, opts: { body?: string } = {}): Promise<string> {
    let res = await this.request(method, uri, callId, opts);
    const code = status(res);
    if (code !== 401 && code !== 407) return res;
    if (method === 'INVITE') this.ack(uri, callId, res);
    const challenge = parseAuthHeader(header(res, code === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate'));
    const p = (k: string) => challenge.params.get(k) ?? '';
    const algorithm = (p('algorithm') || 'MD5') as DigestAlgorithm;
    const qop = p('qop') ? 'auth' : undefined;
    const cnonce = randomBytes(4).toString('hex');
    const response = digestResponse({ algorithm, username: 'agent', realm: p('realm'), secret: { password: 'demo' }, method, uri, nonce: p('nonce'), qop, nc: '00000001', cnonce });
    const auth = `${code === 401 ? 'Authorization' : 'Proxy-Authorization'}: Digest username="agent", realm="${p('realm')}", nonce="${p('nonce')}", uri="${uri}", response="${response}", algorithm=${algorithm}${qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : ''}${p('opaque') ? `, opaque="${p('opaque')}"` : ''}`;
    res = await this.request(method, uri, callId, { ...opts, auth });
    return res;
  }

  ack(uri: string, callId: string, res: string): void {
    const cseq = Number(header(res, 'CSeq').split(' ')[0]);
    const text = [`ACK ${uri} SIP/2.0`, `Via: ${this.wire.via};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`, 'Max-Forwards: 70', `From: ${header(res, 'From')}`, `To: ${header(res, 'To')}`, `Call-ID: ${callId}`, `CSeq: ${cseq} ACK`, 'Content-Length: 0', '', ''].join('\r\n');
    this.wire.send(text);
  }
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
}

/** Every client registers, then places its calls one after another; all clients at once. */
async function run(wires: Wire[], domain: string, sipUri: string) {
  const clients = wires.map((w) => new Client(w, domain));
  const regMs: number[] = [];
  const callMs: number[] = [];
  let failed = 0;
  const regStart = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      const t = performance.now();
      const res = await c.authed('REGISTER', `sip:${domain}`, `reg-${randomBytes(6).toString('hex')}`);
      if (status(res) === 200) regMs.push(performance.now() - t);
      else failed++;
    }),
  );
  const regSeconds = (performance.now() - regStart) / 1000;
  const callStart = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < CALLS_PER_CLIENT; i++) {
        const callId = `call-${randomBytes(6).toString('hex')}`;
        const t = performance.now();
        const res = await c.authed('INVITE', sipUri, callId, { body: SDP });
        if (status(res) !== 200) {
          failed++;
          continue;
        }
        callMs.push(performance.now() - t);
        c.ack(sipUri, callId, res);
        const cseq = Number(header(res, 'CSeq').split(' ')[0]) + 1;
        await c.request('BYE', sipUri, callId, { to: header(res, 'To'), cseq });
      }
    }),
  );
  const callSeconds = (performance.now() - callStart) / 1000;
  for (const w of wires) w.close();
  return {
    registrationsPerSecond: Math.round(regMs.length / regSeconds),
    registerP50Ms: percentile(regMs, 50),
    registerP99Ms: percentile(regMs, 99),
    callsPerSecond: Math.round(callMs.length / callSeconds),
    setupP50Ms: percentile(callMs, 50),
    setupP99Ms: percentile(callMs, 99),
    failed,
  };
}

const httpPort = port();
const sipPort = port();
const wsPort = port();
const rtpBase = 30000 + Math.floor(Math.random() * 20000);
const server = await startServerProcess({
  port: httpPort,
  cpu: 0,
  env: { CALLSIGHT_SIP_PORT: String(sipPort), CALLSIGHT_SIP_WS_PORT: String(wsPort), CALLSIGHT_RTP_PORTS: `${rtpBase}-${rtpBase + 2000}`, CALLSIGHT_SIP_PUBLIC_HOST: '127.0.0.1' },
});
try {
  const domain = '127.0.0.1';
  const echo = `sip:echo@127.0.0.1:${sipPort}`;
  // A warm-up over both transports first, so neither measured run pays for the server's JIT.
  await run([await udpWire(sipPort), await wsWire(`ws://127.0.0.1:${wsPort}`)], domain, echo);
  const ws = await run(await Promise.all(Array.from({ length: CLIENTS }, () => wsWire(`ws://127.0.0.1:${wsPort}`))), domain, echo);
  const udp = await run(await Promise.all(Array.from({ length: CLIENTS }, () => udpWire(sipPort))), domain, echo);
  console.log(
    JSON.stringify({
      bench: 'sip-ws',
      clients: CLIENTS,
      callsPerClient: CALLS_PER_CLIENT,
      media: 'plain RTP offer (RTP/AVP, PCMU), echo answers',
      ws,
      udp,
      ratio: { registrations: Math.round((ws.registrationsPerSecond / udp.registrationsPerSecond) * 100) / 100, calls: Math.round((ws.callsPerSecond / udp.callsPerSecond) * 100) / 100 },
    }),
  );
} finally {
  await server.stop();
}
