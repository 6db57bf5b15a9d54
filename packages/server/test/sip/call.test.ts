/**
 * Two SipEndpoints call each other over every transport: INVITE/180/200/ACK,
 * hold and resume by re-INVITE (sendonly → recvonly), INFO, BYE; CANCEL
 * before answer (487); a 486 surfacing as SipFailure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { SipFailure } from '../../src/sip/ua/failure.js';
import { answerDirection, directionOf, withDirection } from '../../src/sip/dialog/hold.js';
import type { Dialog, TerminationInfo } from '../../src/sip/dialog/dialog.js';
import { sdp, selfSignedCert, startEndpoint } from './sip-endpoints.js';

const cert = selfSignedCert();
let a: SipEndpoint;
let b: SipEndpoint;

before(async () => {
  const tls = { ...cert, ca: cert.cert };
  a = await startEndpoint({ tlsPort: 0, wsPort: 0, tls });
  b = await startEndpoint({ tlsPort: 0, wsPort: 0, tls });
});
after(async () => {
  await a.close();
  await b.close();
});

function targetOf(ep: SipEndpoint, transport: string): string {
  const p = ep.ports;
  switch (transport) {
    case 'udp':
      return `sip:bob@127.0.0.1:${p.udp}`;
    case 'tcp':
      return `sip:bob@127.0.0.1:${p.tcp};transport=tcp`;
    case 'tls':
      return `sip:bob@127.0.0.1:${p.tls};transport=tls`;
    default:
      return `sip:bob@127.0.0.1:${p.ws};transport=ws`;
  }
}

for (const transport of ['udp', 'tcp', 'tls', 'ws']) {
  describe(`call over ${transport}`, () => {
    it('rings, answers, holds, resumes, sends INFO and hangs up', async () => {
      let calleeDialog: Dialog | undefined;
      const calleeEnded = new Promise<TerminationInfo>((resolve) => {
        b.once('invite', async (inv) => {
          assert.equal(inv.source.transport, transport);
          inv.progress(180);
          calleeDialog = await inv.accept({ sdp: sdp(41000) });
          const infos: string[] = [];
          calleeDialog.on('request', (req) => {
            const m = req.message;
            if (m.method === 'INVITE') {
              // Answer a hold/resume offer with the mirrored direction (RFC 3264 6.1).
              const offered = directionOf(m.body.toString());
              req.respond(200, { body: withDirection(sdp(41000), answerDirection(offered)), contentType: 'application/sdp' });
            } else if (m.method === 'INFO') {
              infos.push(m.body.toString());
              req.respond(200);
            } else req.respond(405);
          });
          calleeDialog.on('terminated', resolve);
        });
      });
      const out = a.invite({ target: targetOf(b, transport), from: { uri: 'sip:alice@127.0.0.1', displayName: 'Alice' }, sdp: sdp(40000) });
      const provisional: number[] = [];
      out.on('provisional', (r) => provisional.push(r.status));
      const { dialog, response } = await out.response;
      assert.equal(response.status, 200);
      assert.deepEqual(provisional, [180]);
      assert.equal(dialog.role, 'uac');
      assert.ok(dialog.remoteSdp?.includes('m=audio 41000'));

      const hold = await dialog.reinvite(withDirection(sdp(40000), 'sendonly'));
      assert.equal(hold.status, 200);
      assert.equal(directionOf(hold.body.toString()), 'recvonly');
      const resume = await dialog.reinvite(withDirection(sdp(40000), 'sendrecv'));
      assert.equal(directionOf(resume.body.toString()), 'sendrecv');

      const info = await dialog.info('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n');
      assert.equal(info.status, 200);

      const ended = new Promise<TerminationInfo>((r) => dialog.on('terminated', r));
      await dialog.bye();
      assert.equal((await ended).by, 'local');
      const remote = await calleeEnded;
      assert.equal(remote.by, 'remote');
      assert.equal(calleeDialog?.role, 'uas');
    });

    it('CANCEL before answer gives 487 and a cancel event', async () => {
      const cancelled = new Promise<void>((resolve) => {
        b.once('invite', (inv) => {
          inv.progress(180);
          inv.on('cancel', resolve);
        });
      });
      const out = a.invite({ target: targetOf(b, transport), from: { uri: 'sip:alice@127.0.0.1' }, sdp: sdp() });
      out.on('provisional', () => out.cancel());
      await assert.rejects(out.response, (e: unknown) => e instanceof SipFailure && e.status === 487);
      await cancelled;
    });

    it('a 486 reject surfaces as SipFailure(486)', async () => {
      b.once('invite', (inv) => inv.reject(486));
      const out = a.invite({ target: targetOf(b, transport), from: { uri: 'sip:alice@127.0.0.1' }, sdp: sdp() });
      await assert.rejects(out.response, (e: unknown) => e instanceof SipFailure && e.status === 486 && e.reason === 'Busy Here' && e.response?.status === 486);
    });
  });
}
