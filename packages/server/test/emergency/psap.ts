import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { g711Decode } from '../../src/media/g711.js';
import { peerPort } from '../helpers/ports.js';
import { requireBinary, run, type ProcResult } from '../helpers/processes.js';

/**
 * A PSAP played by sipp: a UAS scenario that rings, answers with an SDP whose audio
 * goes to a UDP socket of the test (which records the PCMU it gets and can press keys
 * with RFC 4733), and waits for the caller's BYE. The INVITE is read from sipp's
 * message trace.
 */
export async function startSippPsap(
  opts: {
    timeoutSec?: number;
    calls?: number;
    /** Geolocation-Error values: each INVITE before the answer gets a 424 with the next one. */ refuse424?: string[];
    /** Put a UDP relay in front of sipp that keeps what callsight sent byte for byte (sipp's trace stops at a NUL, so binary bodies need it). */ tap?: boolean;
    /** A SIP MESSAGE comes first (RFC 8876 data-only alert) and gets `status`; `then: 'call'` expects the INVITE after it. */ message?: { status: string; then: 'end' | 'call' };
  } = {},
) {
  requireBinary('/usr/bin/sipp');
  const media = dgram.createSocket('udp4');
  await new Promise<void>((r) => media.bind(0, '127.0.0.1', () => r()));
  const mediaPort = (media.address() as { port: number }).port;
  const received: Int16Array[] = [];
  let remote: { port: number; address: string } | null = null;
  let ssrcOut = 0x1234abcd;
  let seq = 1;
  let ts = 0;
  media.on('message', (msg, rinfo) => {
    remote = { port: rinfo.port, address: rinfo.address };
    if (msg.length < 12 || (msg[1] & 0x7f) !== 0) return;
    const cc = msg[0] & 0x0f;
    received.push(g711Decode('ulaw', msg.subarray(12 + cc * 4)));
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-psap-'));
  const sdp = ['v=0', 'o=psap 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${mediaPort} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15'].join('\n');
  const reply = (status: string, body?: string, extra = '') => `<![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:psap@[local_ip]:[local_port]>
${extra}${body ? 'Content-Type: application/sdp\n' : ''}Content-Length: [len]

${body ?? ''}
]]>`;
  const message = opts.message;
  // A MESSAGE and the INVITE after it are two sipp calls (two Call-IDs) of one scenario: each takes its own branch.
  const messageOnly = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="psap-message">
  <recv request="MESSAGE"/>
  <send>${reply(message?.status ?? '200 OK')}</send>
</scenario>`;
  const scenario = message?.then === 'end' ? messageOnly : `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="psap">
${message ? '  <recv request="MESSAGE" optional="true" next="message"/>\n' : ''}  <recv request="INVITE" crlf="true"/>
${(opts.refuse424 ?? []).map((e) => `  <send>${reply('424 Bad Location Information', undefined, `Geolocation-Error: ${e}\n`)}</send>\n  <recv request="ACK"/>\n  <recv request="INVITE"/>`).join('\n')}
  <send>${reply('180 Ringing')}</send>
  <send retrans="500">${reply('200 OK', sdp)}</send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>${message ? `\n  <nop next="end"/>\n  <label id="message"/>\n  <send>${reply(message.status)}</send>\n  <label id="end"/>` : ''}
</scenario>`;
  const file = path.join(dir, 'psap.xml');
  writeFileSync(file, scenario);
  const port = peerPort();
  const trace = path.join(dir, 'messages.log');
  const tap = opts.tap ? await udpTap(port) : undefined;
  const proc = run('/usr/bin/sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-m', String(opts.calls ?? (message?.then === 'call' ? 2 : 1)), '-timeout', `${opts.timeoutSec ?? 40}s`, '-nostdin', '-trace_msg', '-message_file', trace], ((opts.timeoutSec ?? 40) + 10) * 1000, dir);
  const requests = (method: string): string[] => {
    const text = existsSync(trace) ? readFileSync(trace, 'utf8') : '';
    return [...text.matchAll(new RegExp(`^${method} [\\s\\S]*?(?=\\r?\\n-{20,}|$(?![\\s\\S]))`, 'gm'))].map((m) => m[0].trimEnd());
  };
  return {
    uri: `sip:psap@127.0.0.1:${tap?.port ?? port}`,
    /** With `tap`: each datagram callsight sent to the PSAP's address, as sent. */
    datagrams: () => tap?.seen ?? [],
    done: proc.done as Promise<ProcResult>,
    /** Every INVITE sipp received, whole (headers and body). */
    invites: () => requests('INVITE'),
    /** Every request of `method` sipp received, whole. */
    requests: (method: string) => requests(method),
    /** The audio the PSAP heard so far, 8 kHz PCM. */
    audio(): Int16Array {
      const out = new Int16Array(received.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of received) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
    /** Presses a key towards callsight (RFC 4733, payload type 101): a few event packets and three end packets. */
    async press(digit: string): Promise<void> {
      if (!remote) throw new Error('no RTP from callsight yet');
      const event = '0123456789*#'.indexOf(digit);
      ts += 1600;
      for (let i = 0; i < 8; i++) {
        const end = i >= 5;
        const pkt = Buffer.alloc(16);
        pkt[0] = 0x80;
        pkt[1] = (i === 0 ? 0x80 : 0) | 101;
        pkt.writeUInt16BE(seq++ & 0xffff, 2);
        pkt.writeUInt32BE(ts >>> 0, 4);
        pkt.writeUInt32BE(ssrcOut, 8);
        pkt[12] = event;
        pkt[13] = (end ? 0x80 : 0) | 10;
        pkt.writeUInt16BE(Math.min(5, i + 1) * 160, 14);
        media.send(pkt, remote.port, remote.address);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill(): void {
      proc.kill();
      media.close();
      tap?.close();
    },
  };
}

/** A UDP relay to `port`: what comes from elsewhere is kept and passed on; sipp's answers go back to the last sender. */
async function udpTap(port: number) {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const seen: Buffer[] = [];
  let client: { port: number; address: string } | null = null;
  sock.on('message', (msg, rinfo) => {
    if (rinfo.port === port) {
      if (client) sock.send(msg, client.port, client.address);
      return;
    }
    client = { port: rinfo.port, address: rinfo.address };
    seen.push(msg);
    sock.send(msg, port, '127.0.0.1');
  });
  return { port: (sock.address() as { port: number }).port, seen, close: () => sock.close() };
}

/** One part of a multipart message, byte-exact (binary bodies included), found by its Content-ID. */
export function binaryPart(message: Buffer, contentId: string): { headers: Record<string, string>; body: Buffer } | undefined {
  const text = message.toString('latin1');
  const boundary = /^Content-Type:.*boundary=("?)([^";\r\n]+)\1/im.exec(text)?.[2];
  if (!boundary) return undefined;
  const delimiter = `\r\n--${boundary}`;
  for (let at = text.indexOf(`--${boundary}\r\n`); at >= 0; ) {
    const start = at + boundary.length + 4;
    const end = text.indexOf(delimiter, start);
    if (end < 0) return undefined;
    const chunk = text.slice(start, end);
    const sep = chunk.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of chunk.slice(0, sep).split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    if (headers['content-id'] === contentId) return { headers, body: Buffer.from(chunk.slice(sep + 4), 'latin1') };
    at = end + 2;
  }
  return undefined;
}

/** The parts of a multipart body: headers (lower-cased) and body, by a simple split on the boundary. */
export function mimeParts(invite: string): { headers: Record<string, string>; body: string }[] {
  const ct = /^Content-Type:\s*(.*)$/im.exec(invite)?.[1] ?? '';
  const boundary = /boundary=("?)([^";\r\n]+)\1/i.exec(ct)?.[2];
  if (!boundary) return [];
  const body = invite.slice(invite.search(/\r?\n\r?\n/) + 2);
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((c) => !c.startsWith('--'))
    .map((c) => {
      const t = c.replace(/^\r?\n/, '');
      const sep = t.search(/\r?\n\r?\n/);
      const headers: Record<string, string> = {};
      for (const line of t.slice(0, sep).split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      return { headers, body: t.slice(sep).replace(/^\r?\n\r?\n/, '').trimEnd() };
    });
}

export const headerValues = (invite: string, name: string) => [...invite.split(/\r?\n\r?\n/)[0].matchAll(new RegExp(`^${name}:\\s*(.*?)\\r?$`, 'gim'))].map((m) => m[1]);

/**
 * Where `template` occurs in `signal`: offsets whose normalised cross-correlation
 * exceeds `threshold` (G.711 and the packet edges leave it well above 0.5 for the
 * same rendering), at least one template length apart.
 */
export function matches(signal: Int16Array, template: Int16Array, threshold = 0.6): number[] {
  const n = template.length;
  let tt = 0;
  for (let i = 0; i < n; i++) tt += template[i] * template[i];
  const out: number[] = [];
  const step = 4;
  let best = { at: -1, r: 0 };
  for (let off = 0; off + n <= signal.length; off += step) {
    let st = 0;
    let ss = 0;
    for (let i = 0; i < n; i += 2) {
      st += signal[off + i] * template[i];
      ss += signal[off + i] * signal[off + i];
    }
    const r = st / Math.sqrt((ss * tt) / 2 || 1);
    if (r > threshold && r > best.r) best = { at: off, r };
    if (best.at >= 0 && off - best.at > n) {
      out.push(best.at);
      best = { at: -1, r: 0 };
    }
  }
  if (best.at >= 0) out.push(best.at);
  return out;
}
