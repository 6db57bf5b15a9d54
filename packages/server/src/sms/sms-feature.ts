import type { Feature } from '../features.js';
import { SmppTransport } from './smpp-transport.js';
import { SmsInbox } from './sms-inbox.js';
import { smsRoutes } from './sms-routes.js';
import { SmsService } from './sms-service.js';

/**
 * SMS over SMPP 3.4, when CALLSIGHT_SMPP_URL (smpp://user:pass@host:port) is
 * set: the `sms` service, inbound messages routed to agents as `sms` items,
 * and the send API. Without it the service is absent and senders (deflection,
 * the API) fail with a clear error instead of pretending.
 */
export const smsFeature: Feature = {
  name: 'sms',
  routes: smsRoutes,
  async start(ctx) {
    const url = process.env.CALLSIGHT_SMPP_URL;
    if (!url) return;
    const transport = new SmppTransport({ url, log: ctx.log.child({ component: 'smpp' }) });
    const sms = new SmsService(ctx, transport, process.env.CALLSIGHT_SMS_FROM ?? 'callsight');
    const inbox = new SmsInbox(ctx, sms, process.env.CALLSIGHT_SMS_QUEUE ?? 'support');
    sms.onInbound((m) => inbox.onMessage(m));
    ctx.services.provide('sms', sms);
    transport.start();
    return async () => {
      ctx.services.remove('sms');
      await transport.stop();
    };
  },
};
