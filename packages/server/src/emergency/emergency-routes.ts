import type { BatchResult, CivicAddress, CreatedDevice, Device, Emergency, EmergencyLocation, VehicleInfo } from '@callsight/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { hasRole, isStaff, type Principal } from '../auth/principal.js';
import { forbidden, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { wire } from '../http/wire-schema.js';
import { BATCH_LIMITS, batchSchema, fixSchema } from './device-batch.js';
import { PROPULSION, VEHICLE_CLASSES, VIN_PATTERN } from './ecall-msd.js';
import { toDevice, type DeviceRepo } from './device-repo.js';
import { emergencyErrors } from './emergency-errors.js';
import type { EmergencyService } from './emergency-service.js';
import type { EmergencyDevicesTable } from './emergency-tables.js';
import { psapTarget, settingsSchema, type EmergencySettingsRepo } from './settings-repo.js';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number (+15550100)');
const civicSchema = wire<CivicAddress>()(
  z
    .object({
      country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2'),
      A1: z.string().max(100).optional(),
      A3: z.string().max(100).optional(),
      RD: z.string().max(200).optional(),
      HNO: z.string().max(20).optional(),
      PC: z.string().max(20).optional(),
      FLR: z.string().max(20).optional(),
      LOC: z.string().max(200).optional(),
      NAM: z.string().max(200).optional(),
    })
    .strict(),
);
const vehicleSchema = wire<VehicleInfo>()(
  z
    .object({
      vin: z.string().regex(VIN_PATTERN, 'a VIN is 17 characters: digits and capital letters except I, O and Q'),
      vehicleClass: z.enum(VEHICLE_CLASSES).describe('UNECE category: M1 cars, N1 vans, L3e motorcycles…'),
      propulsion: z
        .array(z.enum(PROPULSION))
        .max(PROPULSION.length)
        .refine((p) => new Set(p).size === p.length, 'each energy store once'),
    })
    .strict(),
);
const contactSchema = z.object({ name: z.string().min(1).max(100), phone: e164 }).strict();
const deviceInput = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.enum(['car', 'wearable', 'phone', 'alarm']),
    ownerUserId: z.string().regex(/^usr_[0-9a-z]{26}$/).nullable().optional(),
    contacts: z.array(contactSchema).max(5).optional(),
    psaps: z.array(psapTarget).min(1).max(5).describe('Where calls go, in order: SIP URI, E.164 number (via the trunk) or service URN'),
    civicAddress: civicSchema.nullable().optional(),
    callbackNumber: e164.nullable().optional(),
    vehicle: vehicleSchema.nullable().optional().describe('Cars: VIN, category and propulsion; their calls are then eCalls with an MSD (RFC 8147)'),
  })
  .strict();
const locationSchema = wire<EmergencyLocation>()(
  z.object({
    source: z.enum(['gnss', 'civic']),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    radius: z.number().nullable(),
    civic: civicSchema.nullable(),
    address: z.string().nullable(),
    time: z.number(),
  }),
);
const deviceSchema = wire<Device>()(
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['car', 'wearable', 'phone', 'alarm']),
    ownerUserId: z.string().nullable(),
    contacts: z.array(contactSchema),
    psaps: z.array(z.string()),
    civicAddress: civicSchema.nullable(),
    callbackNumber: z.string().nullable(),
    keyPrefix: z.string(),
    revoked: z.boolean(),
    createdAt: z.number(),
    lastSeenAt: z.number().nullable(),
    lastFix: fixSchema.nullable(),
    battery: z.number().nullable(),
    vehicle: vehicleSchema.nullable(),
  }),
);
const createdSchema = wire<CreatedDevice>()(z.object({ device: deviceSchema, key: z.string() }));
const kinds = z.enum(['crash', 'fall', 'smoke', 'co']);
const emergencySchema = wire<Emergency>()(
  z.object({
    id: z.string(),
    deviceId: z.string(),
    deviceName: z.string(),
    kind: kinds,
    confidence: z.number(),
    state: z.enum(['countdown', 'cancelled', 'calling', 'answered', 'ended', 'failed']),
    location: locationSchema.nullable(),
    evidence: z.object({ window: z.object({ start: z.number(), end: z.number() }), figures: z.record(z.string(), z.number()) }),
    interactionId: z.string(),
    callAt: z.number(),
    psap: z.string().nullable(),
    attempts: z.number(),
    createdAt: z.number(),
    endedAt: z.number().nullable(),
  }),
);
const batchResultSchema = wire<BatchResult>()(z.object({ accepted: z.literal(true), emergencyId: z.string().nullable(), detections: z.array(z.object({ kind: kinds, confidence: z.number() })) }));

declare module 'fastify' {
  interface FastifyRequest {
    device?: EmergencyDevicesTable;
  }
}

/** The registry (admins), emergencies (staff; owners see their own), and the device endpoints (device key). */
export async function emergencyRoutes(app: HttpApp, ctx: AppContext, deps: { devices: DeviceRepo; service: EmergencyService; settings: EmergencySettingsRepo }): Promise<void> {
  const tags = ['emergency'];
  const { devices, service } = deps;
  const ownerCheck = async (tenantId: string, ownerUserId: string | null | undefined) => {
    if (ownerUserId && !(await ctx.users.get(tenantId, ownerUserId))) throw emergencyErrors.ownerUnknown();
  };
  /** Staff see every device and emergency of the tenant; customers only their own devices'. */
  const mayView = (p: Principal, ownerUserId: string | null) => isStaff(p) || (!!p.userId && p.userId === ownerUserId);

  app.get('/api/devices', { config: { role: 'agent' }, schema: { tags, summary: 'Emergency devices of the tenant', response: { 200: z.object({ items: z.array(deviceSchema) }) } } }, async (req) => ({
    items: (await devices.list(req.principal.tenantId)).map(toDevice),
  }));
  app.get('/api/me/devices', { config: { role: 'customer' }, schema: { tags, summary: 'Your own emergency devices', response: { 200: z.object({ items: z.array(deviceSchema) }) } } }, async (req) => ({
    items: req.principal.userId ? (await devices.list(req.principal.tenantId, { ownerUserId: req.principal.userId })).map(toDevice) : [],
  }));
  app.post('/api/devices', { config: { role: 'admin' }, schema: { tags, summary: 'Register a device; its key is in the response only', body: deviceInput, response: { 201: createdSchema } } }, async (req, reply) => {
    const tenantId = req.principal.tenantId;
    await ownerCheck(tenantId, req.body.ownerUserId);
    if (req.body.vehicle && req.body.kind !== 'car') throw emergencyErrors.vehicleNotCar();
    const created = await devices.create(tenantId, req.body);
    await ctx.bus.publish({ tenantId, type: 'device.created', data: { deviceId: created.device.id, name: created.device.name, kind: created.device.kind } });
    return reply.code(201).send(created);
  });
  app.get('/api/devices/:id', { config: { role: 'customer' }, schema: { tags, summary: 'A device', params: idParam('dev'), response: { 200: deviceSchema } } }, async (req) => {
    const row = await devices.get(req.principal.tenantId, req.params.id);
    if (!row || !mayView(req.principal, row.owner_user_id)) throw notFound('Device');
    return toDevice(row);
  });
  app.patch('/api/devices/:id', { config: { role: 'admin' }, schema: { tags, summary: 'Change a device', params: idParam('dev'), body: deviceInput.partial(), response: { 200: deviceSchema } } }, async (req) => {
    const tenantId = req.principal.tenantId;
    const before = await devices.get(tenantId, req.params.id);
    if (!before) throw notFound('Device');
    await ownerCheck(tenantId, req.body.ownerUserId);
    const vehicle = req.body.vehicle !== undefined ? req.body.vehicle : before.vehicle;
    if (vehicle && (req.body.kind ?? before.kind) !== 'car') throw emergencyErrors.vehicleNotCar();
    const row = (await devices.update(tenantId, req.params.id, req.body))!;
    await ctx.bus.publish({ tenantId, type: 'device.updated', data: { deviceId: row.id } });
    return toDevice(row);
  });
  app.delete('/api/devices/:id', { config: { role: 'admin' }, schema: { tags, summary: "Revoke a device's key (it can no longer send data)", params: idParam('dev') } }, async (req, reply) => {
    const tenantId = req.principal.tenantId;
    if (!(await devices.get(tenantId, req.params.id))) throw notFound('Device');
    if (await devices.revoke(tenantId, req.params.id)) await ctx.bus.publish({ tenantId, type: 'device.revoked', data: { deviceId: req.params.id } });
    return reply.code(204).send();
  });
  app.post(
    '/api/devices/:id/key',
    { config: { role: 'customer' }, schema: { tags, summary: 'A new key for a device (admins, or the owner for their own device); the old key stops working', params: idParam('dev'), response: { 200: z.object({ key: z.string() }) } } },
    async (req) => {
      const p = req.principal;
      const row = await devices.get(p.tenantId, req.params.id);
      if (!row || !mayView(p, row.owner_user_id)) throw notFound('Device');
      if (!hasRole(p, 'admin') && p.userId !== row.owner_user_id) throw forbidden('Only an admin or the owner may issue a device key');
      return { key: (await devices.rotateKey(p.tenantId, row.id))! };
    },
  );

  app.get('/api/emergency/settings', { config: { role: 'admin' }, schema: { tags, summary: 'Cancel window, callback number, service URN routes, retries', response: { 200: settingsSchema } } }, async (req) =>
    deps.settings.get(req.principal.tenantId),
  );
  app.put('/api/emergency/settings', { config: { role: 'admin' }, schema: { tags, summary: 'Change the emergency settings', body: settingsSchema, response: { 200: settingsSchema } } }, async (req) =>
    deps.settings.put(req.principal.tenantId, req.body),
  );

  app.get(
    '/api/emergencies',
    {
      config: { role: 'customer' },
      schema: { tags, summary: 'Emergencies, newest first (customers: those of their own devices)', querystring: z.object({ active: z.coerce.boolean().optional(), limit: z.coerce.number().int().min(1).max(200).optional() }).strict(), response: { 200: z.object({ items: z.array(emergencySchema) }) } },
    },
    async (req) => {
      const p = req.principal;
      if (!isStaff(p) && !p.userId) return { items: [] };
      return { items: await service.list(p.tenantId, { ...req.query, ownerUserId: isStaff(p) ? undefined : p.userId! }) };
    },
  );
  const viewable = async (p: Principal, id: string) => {
    const e = await service.get(p.tenantId, id);
    const dev = await devices.get(p.tenantId, e.deviceId);
    if (!dev || !mayView(p, dev.owner_user_id)) throw notFound('Emergency');
    return e;
  };
  app.get('/api/emergencies/:id', { config: { role: 'customer' }, schema: { tags, summary: 'An emergency', params: idParam('emg'), response: { 200: emergencySchema } } }, async (req) => viewable(req.principal, req.params.id));
  app.post(
    '/api/emergencies/:id/cancel',
    { config: { role: 'customer' }, schema: { tags, summary: 'Cancel during the countdown (the owner or staff); 409 once calling', params: idParam('emg'), response: { 200: emergencySchema } } },
    async (req) => {
      await viewable(req.principal, req.params.id);
      return service.cancel(req.principal.tenantId, req.params.id, req.principal.userId ?? req.principal.apiKeyId);
    },
  );

  // The device's own endpoints: authenticated by its key before the body is validated, so an unknown device gets 401 whatever it sent.
  await app.register(async (scope) => {
    const dev = scope as unknown as HttpApp;
    dev.addHook('preValidation', async (req) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      req.device = await devices.authenticate(m?.[1]);
    });
    dev.post(
      '/api/devices/data',
      {
        bodyLimit: BATCH_LIMITS.bodyBytes,
        config: { auth: false },
        schema: { tags, summary: 'A device posts a data batch (Authorization: Bearer csd_…): motion, audio, GNSS…; 202 with what it detected', body: batchSchema, response: { 202: batchResultSchema } },
      },
      async (req, reply) => reply.code(202).send(await service.ingest(req.device!, req.body)),
    );
    dev.post(
      '/api/devices/emergencies/:id/cancel',
      { config: { auth: false }, schema: { tags, summary: 'The device cancels its own emergency during the countdown', params: idParam('emg'), response: { 200: emergencySchema } } },
      async (req) => {
        const device = req.device!;
        const e = await service.get(device.tenant_id, req.params.id);
        if (e.deviceId !== device.id) throw notFound('Emergency');
        return service.cancel(device.tenant_id, e.id, device.id);
      },
    );
  });
}
