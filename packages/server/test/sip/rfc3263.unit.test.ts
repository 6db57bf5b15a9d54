import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderSrv, SipLocator, type DnsQueries } from '../../src/sip/transport/rfc3263.js';
import { stunBindingResponse } from '../../src/sip/transport/stun-keepalive.js';

const none = async () => [];
function fakeDns(over: Partial<Record<keyof DnsQueries, (name: string) => Promise<any[]>>>): DnsQueries & { asked: string[] } {
  const asked: string[] = [];
  const wrap = (kind: keyof DnsQueries) => async (name: string) => {
    asked.push(`${kind} ${name}`);
    return (over[kind] ?? none)(name);
  };
  return { asked, resolveNaptr: wrap('resolveNaptr'), resolveSrv: wrap('resolveSrv'), resolve4: wrap('resolve4'), resolve6: wrap('resolve6') } as DnsQueries & { asked: string[] };
}

describe('RFC 3263 server location', () => {
  test('SRV order: priority first, then weighted; weight 0 still gets a turn', () => {
    const recs = [
      { name: 'c', priority: 20, weight: 0 },
      { name: 'a', priority: 10, weight: 90 },
      { name: 'b', priority: 10, weight: 10 },
    ];
    assert.deepEqual(orderSrv(recs, () => 0).map((r) => r.name), ['b', 'a', 'c']);
    assert.deepEqual(orderSrv(recs, () => 0.99).map((r) => r.name), ['a', 'b', 'c']);
    let heavyFirst = 0;
    for (let i = 0; i < 1000; i++) if (orderSrv(recs)[0].name === 'a') heavyFirst++;
    assert.ok(heavyFirst > 800 && heavyFirst < 980, `weight 90 of 100 comes first ~90 % (${heavyFirst / 10} %)`);
  });

  test('NAPTR → SRV → A, in NAPTR order; TCP chosen by NAPTR', async () => {
    const dns = fakeDns({
      resolveNaptr: async () => [
        { flags: 'S', service: 'SIP+D2U', regexp: '', replacement: '_sip._udp.x.test', order: 20, preference: 10 },
        { flags: 'S', service: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.x.test', order: 10, preference: 10 },
      ],
      resolveSrv: async (n) => (n === '_sip._tcp.x.test' ? [{ name: 'p.x.test', port: 5070, priority: 1, weight: 0 }] : [{ name: 'q.x.test', port: 5080, priority: 1, weight: 0 }]),
      resolve4: async (n) => (n === 'p.x.test' ? ['192.0.2.1', '192.0.2.2'] : ['192.0.2.9']),
    });
    const targets = await new SipLocator({ dns }).locate('sip:x.test');
    assert.deepEqual(targets, [
      { kind: 'tcp', address: '192.0.2.1', port: 5070 },
      { kind: 'tcp', address: '192.0.2.2', port: 5070 },
    ]);
  });

  test('no NAPTR: SRV per transport; no SRV: A on the default port; a port or an IP skips SRV', async () => {
    const srvOnlyTcp = fakeDns({ resolveSrv: async (n) => (n === '_sip._tcp.y.test' ? [{ name: 'y.test', port: 5999, priority: 1, weight: 1 }] : []), resolve4: async () => ['192.0.2.5'] });
    assert.deepEqual(await new SipLocator({ dns: srvOnlyTcp }).locate('sip:y.test'), [{ kind: 'tcp', address: '192.0.2.5', port: 5999 }]);
    const aOnly = fakeDns({ resolve4: async () => ['192.0.2.6'] });
    assert.deepEqual(await new SipLocator({ dns: aOnly }).locate('sips:z.test'), [{ kind: 'tls', address: '192.0.2.6', port: 5061 }]);
    const withPort = fakeDns({ resolve4: async () => ['192.0.2.7'] });
    assert.deepEqual(await new SipLocator({ dns: withPort }).locate('sip:w.test:5070;transport=tcp'), [{ kind: 'tcp', address: '192.0.2.7', port: 5070 }]);
    assert.ok(!withPort.asked.some((q) => q.startsWith('resolveSrv') || q.startsWith('resolveNaptr')), withPort.asked.join());
    assert.deepEqual(await new SipLocator({ dns: fakeDns({}) }).locate('sip:192.0.2.8'), [{ kind: 'udp', address: '192.0.2.8', port: 5060 }]);
    // DNS knows nothing: empty (the transport's own resolver then gets the name).
    assert.deepEqual(await new SipLocator({ dns: fakeDns({}) }).locate('sip:nowhere.test'), []);
  });

  test('STUN keep-alive: a Binding request gets XOR-MAPPED-ADDRESS; anything else nothing', () => {
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0);
    req.writeUInt32BE(0x2112a442, 4);
    const res = stunBindingResponse(req, '192.0.2.33', 40000)!;
    assert.equal(res.readUInt16BE(0), 0x0101);
    assert.equal(res.readUInt16BE(26) ^ 0x2112, 40000);
    assert.equal((res.readUInt32BE(28) ^ 0x2112a442) >>> 0, (192 << 24 | 0 << 16 | 2 << 8 | 33) >>> 0);
    const indication = Buffer.from(req);
    indication.writeUInt16BE(0x0011, 0);
    assert.equal(stunBindingResponse(indication, '192.0.2.33', 40000), null);
    assert.equal(stunBindingResponse(req.subarray(0, 19), '192.0.2.33', 40000), null);
  });
});
