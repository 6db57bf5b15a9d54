import type { EmergencySettings } from '@callsight/protocol';
import { z } from 'zod';
import { wire } from '../http/wire-schema.js';
import type { Store } from '../store/store.js';
import './emergency-tables.js';

const target = z.string().min(3).max(500).regex(/^(sips?:[^\s]+|\+?[0-9]{2,20}|urn:service:[a-z0-9.-]+)$/i, 'a SIP URI, a number or a service URN');
export const psapTarget = target;

export const settingsSchema = wire<EmergencySettings>()(
  z
    .object({
      cancelSeconds: z.number().min(0).max(300).describe('Seconds the owner has to cancel before the call'),
      callbackNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164').nullable(),
      speakOwnerName: z.boolean(),
      serviceRoutes: z.record(z.string().regex(/^urn:service:[a-z0-9.-]+$/i, 'a service URN'), z.array(z.string().regex(/^sips?:\S+$/i, 'a SIP URI')).min(1).max(10)),
      attemptsPerPsap: z.number().int().min(1).max(10),
      ringSeconds: z.number().int().min(5).max(120),
      capRoutes: z.record(target, z.enum(['alone', 'pre-alert'])).optional().describe('PSAPs alarms alert by SIP MESSAGE with CAP (RFC 8876): alone, or before the voice call'),
    })
    .strict(),
);

export const DEFAULT_SETTINGS: EmergencySettings = { cancelSeconds: 20, callbackNumber: null, speakOwnerName: true, serviceRoutes: {}, attemptsPerPsap: 2, ringSeconds: 30 };

export class EmergencySettingsRepo {
  constructor(private readonly store: Store) {}

  async get(tenantId: string): Promise<EmergencySettings> {
    const row = await this.store.db.selectFrom('emergency_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.settings) as Partial<EmergencySettings>) } : DEFAULT_SETTINGS;
  }

  async put(tenantId: string, s: EmergencySettings): Promise<EmergencySettings> {
    const settings = JSON.stringify(s);
    const now = Date.now();
    await this.store.db
      .insertInto('emergency_settings')
      .values({ tenant_id: tenantId, settings, updated_at: now })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ settings, updated_at: now }))
      .execute();
    return s;
  }
}
