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
  /** Display name of From (a carrier's CNAM); "sipp" when not given. */
  fromName?: string;
  /** Offer G.711 only, without telephone-event: digits must then travel in the audio. */
  noTelephoneEvent?: boolean;
  /** Extra headers on the INVITE, e.g. an Identity header. */
  headers?: string[];
}

function request(method: string, cseq: number, peerTag: boolean, body?: string, party: CallParty = {}): string {
  const headers = [
    `${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0`,
    via,
    `From: "${party.fromName ?? 'sipp'}" <sip:${party.fromUser ?? 'sipp'}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]`,
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

/** Provisionals, then the 200 OK to the INVITE with CSeq `cseq`, ACKed. */
const answeredAndAcked = (cseq: number, party: CallParty) => `<recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send>${request('ACK', cseq, true, undefined, party)}</send>`;

/** 200 OK to the request just received (the callee's BYE). */
const OK_TO_LAST_REQUEST = `<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>`;

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
  ${answeredAndAcked(1, opts)}
  <pause milliseconds="${opts.pauseMs}"/>
  ${opts.pcap ? `<nop><action><exec play_pcap_audio="${opts.pcap}"/></action></nop>` : ''}
  <recv request="BYE" timeout="${opts.waitMs}" ontimeout="hangup"/>
  ${OK_TO_LAST_REQUEST}
  <nop next="end"/>
  <label id="hangup"/>
  <send retrans="500">${request('BYE', 2, true, undefined, opts)}</send>
  <recv response="200"/>
  <label id="end"/>
</scenario>`;
}

/**
 * A caller that never ACKs the 200 OK (lost on UDP, or a hostile peer): it lets the
 * 2xx retransmissions pass and waits for the callee's BYE once Timer H has run out
 * (RFC 3261 13.3.1.4), answering it 200.
 */
export function noAckScenario(opts: { waitMs: number } & CallParty): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="no ACK">
  <send retrans="500">${request('INVITE', 1, false, sdp(true), opts)}</send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200"/>
  <label id="retransmitted"/>
  <recv response="200" optional="true" next="retransmitted"/>
  <recv request="BYE" timeout="${opts.waitMs}"/>
  ${OK_TO_LAST_REQUEST}
</scenario>`;
}

/**
 * A phone that is not a configured peer: its INVITE is challenged (407), it ACKs the
 * challenge and sends the INVITE again with digest credentials, then talks for `pauseMs`
 * and hangs up.
 */
export function authenticatedCallScenario(opts: { username: string; password: string; pauseMs: number } & CallParty): string {
  const retry = request('INVITE', 2, false, sdp(true), opts).replace('Max-Forwards: 70', `Max-Forwards: 70\n[authentication username=${opts.username} password=${opts.password}]`);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="authenticated call">
  <send retrans="500">${request('INVITE', 1, false, sdp(true), opts)}</send>
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  <send retrans="500">${retry}</send>
  ${answeredAndAcked(2, opts)}
  <pause milliseconds="${opts.pauseMs}"/>
  <send retrans="500">${request('BYE', 3, true, undefined, opts)}</send>
  <recv response="200"/>
</scenario>`;
}

export const SIPP_PCAPS = '/usr/share/sip-tester';

/** Runs sipp as a UAC against 127.0.0.1:`port`; resolves with its exit code (0 = every call succeeded). */
export function runSipp(opts: { scenario: string; port: number; service: string; calls?: number; rate?: number; timeoutSec?: number; extra?: string[]; localPort?: number }): Promise<ProcResult> {
  requireBinary('/usr/bin/sipp');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-sipp-'));
  const file = path.join(dir, 'scenario.xml');
  writeFileSync(file, opts.scenario);
  const localPort = opts.localPort ?? peerPort();
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
export function startSippUas(opts: { calls?: number; timeoutSec?: number; extra?: string[]; port?: number } = {}): { port: number; done: Promise<ProcResult>; messages(): string; kill(): void } {
  requireBinary('/usr/bin/sipp');
  const dir = mkdtempSync(path.join(tmpdir(), 'callsight-sipp-uas-'));
  const port = opts.port ?? peerPort();
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
