import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as telephony from './0002-telephony.js';
import * as routing from './0003-routing.js';
import * as branding from './0004-branding.js';
import * as rooms from './0005-rooms.js';
import * as confirm from './0006-confirm.js';
import * as smsDeflection from './0007-sms-deflection.js';
import * as deflectionTargets from './0008-deflection-targets.js';
import * as accessControl from './0009-access-control.js';
import * as brandingPolicy from './0010-branding-policy.js';
import * as outboundDials from './0011-outbound-dials.js';
import * as roomRecordings from './0012-room-recordings.js';
import * as vault from './0013-vault.js';
import * as emergency from './0014-emergency.js';
import * as rules from './0015-rules.js';
import * as rewards from './0016-rewards.js';
import * as conversations from './0017-conversations.js';
import * as desk from './0018-desk.js';
import * as userRemoval from './0021-user-removal.js';
import * as passwordResets from './0030-password-resets.js';
import * as emergencyBattery from './0024-emergency-battery.js';
import * as conversationsReplays from './0022-conversations-replays.js';
import * as telephonySrtp from './0024-telephony-srtp.js';
import * as vaultCaptures from './0022-vault-captures.js';
import * as rulesEventHooks from './0031-rules-event-hooks.js';
import * as emergencyEcall from './0032-emergency-ecall.js';
import * as conversationsDialCode from './0033-conversations-dial-code.js';
import * as vaultRefusals from './0034-vault-refusals.js';

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
  '0009-access-control': accessControl,
  '0010-branding-policy': brandingPolicy,
  '0011-outbound-dials': outboundDials,
  '0012-room-recordings': roomRecordings,
  '0013-vault': vault,
  '0014-emergency': emergency,
  '0015-rules': rules,
  '0016-rewards': rewards,
  '0017-conversations': conversations,
  '0018-desk': desk,
  '0021-user-removal': userRemoval,
  '0030-password-resets': passwordResets,
  '0024-emergency-battery': emergencyBattery,
  '0022-conversations-replays': conversationsReplays,
  '0024-telephony-srtp': telephonySrtp,
  '0022-vault-captures': vaultCaptures,
  '0031-rules-event-hooks': rulesEventHooks,
  '0032-emergency-ecall': emergencyEcall,
  '0033-conversations-dial-code': conversationsDialCode,
  '0034-vault-refusals': vaultRefusals,
};

/** In order of application: by name (the migrator sorts them so), whatever order they were added in. */
export const MIGRATION_NAMES = Object.keys(modules).sort();

export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(modules)) out[name] = { up: (db) => mod.up(db, ctx) };
      return out;
    },
  };
}
