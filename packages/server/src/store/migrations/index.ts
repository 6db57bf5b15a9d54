import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as telephony from './0002-telephony.js';
import * as routing from './0003-routing.js';
import * as branding from './0004-branding.js';
import * as rooms from './0005-rooms.js';
import * as confirm from './0006-confirm.js';
import * as smsDeflection from './0007-sms-deflection.js';
import * as deflectionTargets from './0008-deflection-targets.js';

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
  '0002-telephony': telephony,
  '0003-routing': routing,
  '0004-branding': branding,
  '0005-rooms': rooms,
  '0006-confirm': confirm,
  '0007-sms-deflection': smsDeflection,
  '0008-deflection-targets': deflectionTargets,
};

/** In order of application. */
export const MIGRATION_NAMES = Object.keys(modules);

export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(modules)) out[name] = { up: (db) => mod.up(db, ctx) };
      return out;
    },
  };
}
