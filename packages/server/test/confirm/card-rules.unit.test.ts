import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, contentHash } from '../../src/confirm/canonical-json.js';
import { diffValues, isCorrection, isValidIban, mergeAnswer, templateFields, validateValues } from '@callsight/protocol';

describe('card rules', () => {
  test('IBAN check digits', () => {
    assert.equal(isValidIban('DE89 3704 0044 0532 0130 00'), true);
    assert.equal(isValidIban('GB82WEST12345698765432'), true);
    assert.equal(isValidIban('GB82WEST12345698765433'), false);
    assert.equal(isValidIban('GB28WEST12345698765432'), false, 'swapped check digits');
    assert.equal(isValidIban('12345'), false);
  });

  test('complete answers need required fields; drafts may leave them blank; unknown names never pass', () => {
    const fields = templateFields('address');
    assert.deepEqual(validateValues(fields, { city: 'X' }, { complete: false }), []);
    const issues = validateValues(fields, { city: 'X', zip: '1' }, { complete: true });
    assert.deepEqual(issues.map((i) => i.path).sort(), ['values.country', 'values.line1', 'values.postcode', 'values.zip']);
    assert.deepEqual(validateValues(fields, { line1: 'a', city: 'b', postcode: 'AB1 2CD', country: 'gb' }, { complete: true }).map((i) => i.path), ['values.country']);
  });

  test('dates must exist; numbers keep their bounds; enums their options', () => {
    const fields = [
      { name: 'd', label: 'D', type: 'date' as const },
      { name: 'n', label: 'N', type: 'number' as const, min: 1, max: 3 },
      { name: 'e', label: 'E', type: 'enum' as const, options: ['a'] },
    ];
    assert.equal(validateValues(fields, { d: '2024-02-29', n: 3, e: 'a' }, { complete: true }).length, 0);
    assert.equal(validateValues(fields, { d: '2023-02-29', n: 4, e: 'b' }, { complete: true }).length, 3);
  });

  test('a correction changes what the agent filled; filling a blank is a confirmation; read-only fields keep their value', () => {
    const fields = [...templateFields('appointment', { slots: ['Mon', 'Tue'] }), { name: 'note', label: 'Note', type: 'string' as const, readOnly: true }];
    const shown = { note: 'fixed' };
    const answered = mergeAnswer(fields, shown, { slot: 'Tue', note: 'hacked' });
    assert.deepEqual(answered, { slot: 'Tue', note: 'fixed' });
    const changes = diffValues(fields, shown, answered);
    assert.deepEqual(changes, [{ field: 'slot', from: null, to: 'Tue' }]);
    assert.equal(isCorrection(changes), false);
    assert.equal(isCorrection([{ field: 'x', from: 'a', to: 'b' }]), true);
  });

  test('canonical JSON ignores key order, so hashes are stable', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ y: 2, x: null }] }), '{"a":[{"x":null,"y":2}],"b":1}');
    assert.equal(contentHash({ a: 1, b: 'x' }), contentHash({ b: 'x', a: 1 }));
    assert.notEqual(contentHash({ a: 1 }), contentHash({ a: 2 }));
    assert.throws(() => canonicalJson({ a: Number.NaN }));
  });
});
