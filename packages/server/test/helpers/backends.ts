import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDefaultUser } from '../../src/store/store.js';

/**
 * The two deployments every integration test runs against: one machine
 * (SQLite + in-process bus) and several (Postgres + NATS JetStream, both running
 * on the development and CI machines). A test that cannot reach Postgres or NATS
 * fails: it never skips.
 */
export interface Backend {
  name: 'sqlite+memory' | 'postgres+nats';
  databaseUrl?: string;
  natsUrl?: string;
}

export const POSTGRES_URL = process.env.CALLSIGHT_TEST_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/test';
export const NATS_URL = process.env.CALLSIGHT_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export const BACKENDS: Backend[] = [
  { name: 'sqlite+memory' },
  { name: 'postgres+nats', databaseUrl: POSTGRES_URL, natsUrl: NATS_URL },
];

/** Where the suite runs by default: CALLSIGHT_DATABASE_URL / CALLSIGHT_NATS_URL switch every server test. */
export const DEFAULT_BACKEND: Backend =
  process.env.CALLSIGHT_DATABASE_URL || process.env.CALLSIGHT_NATS_URL
    ? { name: 'postgres+nats', databaseUrl: process.env.CALLSIGHT_DATABASE_URL, natsUrl: process.env.CALLSIGHT_NATS_URL }
    : BACKENDS[0];

export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDefaultUser(url) });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
