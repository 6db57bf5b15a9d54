import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { peerPort } from './ports.js';
import { requireBinary, run, type ProcResult } from './processes.js';

/** sipp scenario pieces; [..] keywords are sipp's own. */
const via = 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]';
const to = (peerTag: boolean) => `To: <sip:[service]@[remote_ip]:[remote_port]>${peerTag ? '[peer_tag_param]' : ''}`;

interface CallParty {
  /** User part of From (a carrier sends the calling number, e.g. +15550101). */
  fromUser?: string;
  /** Offer G.711 only, without telephone-event: digits must then travel in the audio. */
  noTelephoneEvent?: boolean;
  /** Extra headers on the INVITE, e.g. an Identity header. */
  headers?: string[];
}

function request(method: string, cseq: number, peerTag: boolean, body?: string, party: CallParty = {}): string {
  const headers = [
    `${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0`,
    via,
    `From: "sipp" <sip:${party.fromUser ?? 'sipp'}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]`,
    to(peerTag),
    'Call-ID: [call_id]',
    `CSeq: ${cseq} ${method}`,
    'Contact: sip:sipp@[local_ip]:[local_port]',
    'Max-Forwards: 70',
    ...(method === 'INVITE' ? (party.headers ?? []) : []),
  ];
  if (body) headers.push('Content-Type: application/sdp');
  headers.push('Content-Length: [len]', '', body ?? '');
  return `<![CDATA[\n${headers.join('\n')}\n]]>`;
}

const sdp = (telephoneEvent: boolean) =>
  [
    'v=0',
    'o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]',
    's=-',
    'c=IN IP[media_ip_type] [media_ip]',
    't=0 0',
    `m=audio [media_port] RTP/AVP 0 8${telephoneEvent ? ' 101' : ''}`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    ...(telephoneEvent ? ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15'] : []),
  ].join('\n');

/**
 * A UAC call: INVITE, answer, optionally play a pcap (RTP audio or RFC 4733 digits)
 * after `pauseMs`, then either receive the callee's BYE within `waitMs` or send BYE.
 */
export function callScenario(opts: { pcap?: string; pauseMs: number; waitMs: number; expectStatus?: number } & CallParty): string {
  if (opts.expectStatus && opts.expectStatus >= 300) {
    return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="rejected call">
  <send retrans="500">${request('INVITE', 1, false, sdp(!opts.noTelephoneEvent), opts)}</send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="${opts.expectStatus}"/>
  <send>${request('ACK', 1, true, undefined, opts)}</send>
</scenario>`;
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="call">
  <send retrans="500">${request('INVITE', 1, false, sdp(!opts.noTelephoneEvent), opts)}</send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send>${request('ACK', 1, true, undefined, opts)}</send>
  <pause milliseconds="${opts.pauseMs}"/>
  ${opts.pcap ? `<nop><action><exec play_pcap_audio="${opts.pcap}"/></action></nop>` : ''}
  <recv request="BYE" timeout="${opts.waitMs}" ontimeout="hangup"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <nop next="end"/>
  <label id="hangup"/>
  <send retrans="500">${request('BYE', 2, true, undefined, opts)}</send>
  <recv response="200"/>
  <label id="end"/>
</scenario>`;
}

export const SIPP_PCAPS = '/usr/share/sip-tester';

/** Runs sipp as a UAC against 127.0.0.1:`port`; resolves with its exit code (0 = every call succeeded). */
export function runSipp(opts: { scenario: string; port: number; service: string; calls?: number; rate?: number; timeoutSec?: number; extra?: string[] }): Promise<ProcResult> {
  requireBinary('/usr/bin/sipp');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-sipp-'));
  const file = path.join(dir, 'scenario.xml');
  writeFileSync(file, opts.scenario);
  const localPort = peerPort();
  const args = [
    `127.0.0.1:${opts.port}`,
    '-sf', file,
    '-s', opts.service,
    '-i', '127.0.0.1',
    '-p', String(localPort),
    '-mp', String(peerPort()),
    '-m', String(opts.calls ?? 1),
    '-r', String(opts.rate ?? 1),
    '-timeout', `${opts.timeoutSec ?? 30}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file', path.join(dir, 'errors.log'),
    ...(opts.extra ?? []),
  ];
  return run('/usr/bin/sipp', args, ((opts.timeoutSec ?? 30) + 10) * 1000, dir).done;
}

/**
 * sipp's built-in UAS (answers, then waits for BYE) listening on 127.0.0.1:`port`;
 * `messages()` reads its message trace (-trace_msg), every SIP message it sent and received.
 */
export function startSippUas(opts: { calls?: number; timeoutSec?: number; extra?: string[] } = {}): { port: number; done: Promise<ProcResult>; messages(): string; kill(): void } {
  requireBinary('/usr/bin/sipp');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-sipp-uas-'));
  const port = peerPort();
  const trace = path.join(dir, 'messages.log');
  const args = [
    '-sn', 'uas',
    '-i', '127.0.0.1',
    '-p', String(port),
    '-m', String(opts.calls ?? 1),
    '-timeout', `${opts.timeoutSec ?? 30}s`,
    '-nostdin',
    '-trace_msg',
    '-message_file', trace,
    ...(opts.extra ?? []),
  ];
  const proc = run('/usr/bin/sipp', args, ((opts.timeoutSec ?? 30) + 10) * 1000, dir);
  return { port, done: proc.done, messages: () => (existsSync(trace) ? readFileSync(trace, 'utf8') : ''), kill: proc.kill };
}
