/** The feature graph: ordered by needs; a missing need, a service provided twice, a cycle or a duplicate name is a boot error. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderFeatures, type Feature } from '../../src/core/feature.js';

const noop = async () => {};
const f = (name: string, decl: Partial<Feature> = {}): Feature => ({ name, setup: noop, ...decl });
const codeOf = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

describe('feature graph', () => {
  test('a feature is set up after the providers of what it needs; otherwise list order holds', () => {
    const order = orderFeatures([
      f('deflection', { needs: ['chat'] }),
      f('branding', { provides: ['branding'] }),
      f('routing', { provides: ['routing', 'chat'] }),
      f('sms', { needs: ['routing'] }),
    ]).map((x) => x.name);
    assert.deepEqual(order, ['routing', 'deflection', 'branding', 'sms']);
  });

  test('uses is no ordering constraint (lazy look-ups may point both ways)', () => {
    const order = orderFeatures([f('a', { uses: ['chat'], provides: ['rooms'] }), f('b', { uses: ['rooms'], provides: ['chat'] })]).map((x) => x.name);
    assert.deepEqual(order, ['a', 'b']);
  });

  test('a need nobody provides, a service provided twice, a cycle and a name listed twice are boot errors', () => {
    assert.throws(() => orderFeatures([f('conferences', { needs: ['telephony'] })]), (err: Error) => codeOf('feature_need_missing')(err) && /conferences.*telephony/.test(err.message));
    assert.throws(() => orderFeatures([f('a', { provides: ['chat'] }), f('b', { provides: ['chat'] })]), (err: Error) => codeOf('service_provided_twice')(err) && /"a".*"b"/.test(err.message));
    assert.throws(
      () => orderFeatures([f('a', { needs: ['chat'], provides: ['rooms'] }), f('b', { needs: ['rooms'], provides: ['chat'] })]),
      (err: Error) => codeOf('feature_cycle')(err) && /a → b → a/.test(err.message),
    );
    assert.throws(() => orderFeatures([f('a'), f('a')]), codeOf('feature_duplicate'));
  });
});
