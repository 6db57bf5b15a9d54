import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallsightError } from '../../src/core/errors.js';
import { PortPool } from '../../src/media/port-pool.js';

test('hands out even ports round-robin and reports exhaustion with a typed error', () => {
  const pool = new PortPool({ min: 20001, max: 20008 });
  assert.equal(pool.available, 3); // 20002, 20004, 20006 (each needs port+1 for RTCP)
  const a = pool.allocate();
  const b = pool.allocate();
  const c = pool.allocate();
  assert.deepEqual([a, b, c], [20002, 20004, 20006]);
  assert.throws(() => pool.allocate(), (e: unknown) => e instanceof CallsightError && e.code === 'media_ports_exhausted' && e.status === 503);
  pool.release(a);
  pool.release(a); // double release is harmless
  assert.equal(pool.available, 1);
  assert.equal(pool.allocate(), a);
  assert.throws(() => new PortPool({ min: 80, max: 90 }), (e: unknown) => e instanceof CallsightError && e.code === 'media_port_range_invalid');
});
