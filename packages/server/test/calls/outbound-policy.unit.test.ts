import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_OUTBOUND_POLICY, destinationRefusal, e164Of } from '../../src/calls/outbound-policy.js';

describe('outbound policy rules', () => {
  test('numbers are read as E.164: +, 00 and 011 are international, national numbers get the home country code', () => {
    assert.equal(e164Of('+44 20 7946 0000', '1'), '442079460000');
    assert.equal(e164Of('0044207946', '1'), '44207946');
    assert.equal(e164Of('011447700900123', '1'), '447700900123');
    assert.equal(e164Of('9005550100', '1'), '19005550100');
    assert.equal(e164Of('19005550100', '1'), '19005550100');
    assert.equal(e164Of('07700900123', '44'), '447700900123');
    assert.equal(e164Of('agent', '1'), null);
  });

  test('customers reach the tenant only; premium, international and prefix rules bound the others', () => {
    const p = { ...DEFAULT_OUTBOUND_POLICY, blockInternational: true, allowedPrefixes: ['1555'] };
    const customer = { kind: 'user', userId: 'usr_x', role: 'customer' } as const;
    const agent = { kind: 'user', userId: 'usr_y', role: 'agent' } as const;
    assert.equal(destinationRefusal(p, customer, { kind: 'internal' }), null);
    assert.equal(destinationRefusal(p, customer, { kind: 'number', e164: '15550100' })?.code, 'dial_external_not_permitted');
    assert.equal(destinationRefusal(p, customer, { kind: 'sip_uri', uri: 'sip:x@evil.example', e164: null })?.code, 'dial_external_not_permitted');
    assert.equal(destinationRefusal(p, agent, { kind: 'number', e164: '15550100' }), null);
    assert.equal(destinationRefusal(p, agent, { kind: 'number', e164: '19005550100' })?.code, 'dial_premium_blocked');
    assert.equal(destinationRefusal(p, agent, { kind: 'number', e164: '447700900123' })?.code, 'dial_international_blocked');
    assert.equal(destinationRefusal(p, agent, { kind: 'number', e164: '12125550100' })?.code, 'dial_prefix_not_allowed');
    assert.equal(destinationRefusal({ ...p, allowSipUris: false }, agent, { kind: 'sip_uri', uri: 'sip:x@y', e164: null })?.code, 'dial_sip_uri_blocked');
    // A number in a SIP URI is held to the number rules; dial strings with * or # go out only when allowed.
    assert.equal(destinationRefusal(p, agent, { kind: 'sip_uri', uri: 'sip:+19005550100@carrier.example', e164: '19005550100' })?.code, 'dial_premium_blocked');
    assert.equal(destinationRefusal(p, agent, { kind: 'service_code', dialled: '*6719005550100' })?.code, 'dial_service_code_blocked');
    assert.equal(destinationRefusal({ ...p, allowServiceCodes: true }, agent, { kind: 'service_code', dialled: '*67' }), null);
    assert.equal(destinationRefusal(p, customer, { kind: 'service_code', dialled: '*67' })?.code, 'dial_external_not_permitted');
    assert.equal(destinationRefusal({ ...p, users: { usr_y: 'none' } }, agent, { kind: 'internal' })?.code, 'dial_not_permitted');
    assert.equal(destinationRefusal({ ...p, users: { usr_x: 'external' } }, customer, { kind: 'number', e164: '15550100' }), null);
  });
});
