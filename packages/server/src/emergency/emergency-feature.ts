import type { Feature } from '../core/feature.js';
import { DeviceRepo } from './device-repo.js';
import { seedEmergencyDemo } from './emergency-demo.js';
import { emergencyRoutes } from './emergency-routes.js';
import { EmergencyService } from './emergency-service.js';
import { EmergencySettingsRepo } from './settings-repo.js';

declare module '../core/services.js' {
  interface Services {
    emergency: EmergencyService;
  }
}

/**
 * Devices that call emergency services: a registry with per-device keys, data
 * batches run through the crash/fall/smoke/CO detectors, a cancel window on the
 * owner's /phone, then a located SIP call (PIDF-LO + RFC 7852 data) to the PSAP
 * that speaks what happened and where.
 */
export const emergencyFeature: Feature = {
  name: 'emergency',
  uses: ['telephony', 'sms', 'outbound'],
  provides: ['emergency'],
  async setup(ctx, { routes, services }) {
    const devices = new DeviceRepo(ctx.store);
    const settings = new EmergencySettingsRepo(ctx.store);
    if (ctx.config.seedDemo) await seedEmergencyDemo(ctx, { devices, settings, telephony: services.maybe('telephony') });
    const service = new EmergencyService(ctx, { devices, settings, telephony: () => services.maybe('telephony') });
    await routes.register((app) => emergencyRoutes(app, ctx, { devices, service, settings }));
    services.provide('emergency', service);
    const sweep = setInterval(() => service.buffers.sweep(), 60_000).unref();
    return async () => {
      clearInterval(sweep);
      services.remove('emergency');
      await service.close();
    };
  },
};
