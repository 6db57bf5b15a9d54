import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.js';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

interface MigrationModule {
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}

/**
 * Migrations are imported statically (not read from a folder at run time) so the
 * compiled server and the tsx-run tests see exactly the same list. Features add
 * theirs here, in order; a name is never reused.
 */
const modules: Record<string, MigrationModule> = {
  '0001-foundation': foundation,
};

export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(modules)) out[name] = { up: (db) => mod.up(db, ctx) };
      return out;
    },
  };
}
