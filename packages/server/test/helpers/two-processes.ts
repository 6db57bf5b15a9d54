import { after, before } from 'node:test';
import type { Config } from '../../src/core/config.js';
import { dropShared } from '../routing/routing-fixtures.js';
import type { Backend } from './backends.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Two servers sharing one store and bus (two processes of one deployment), started
 * before the suite's tests and removed after them; call inside a `describe`.
 */
export function twoProcesses(backend: Backend, config: Partial<Config> = { sipEnabled: false }): { a: TestServer; b: TestServer } {
  const pair = {} as { a: TestServer; b: TestServer };
  before(async () => {
    pair.a = await startTestServer({ backend, config });
    pair.b = await startTestServer({ backend, reuse: pair.a.reuseInfo, config });
  });
  after(async () => {
    await pair.b?.close();
    await pair.a?.destroy();
    if (pair.a) await dropShared(backend, pair.a.reuseInfo);
  });
  return pair;
}
