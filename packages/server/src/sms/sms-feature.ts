import type { Feature } from '../core/feature.js';
import { HttpSmsTransport } from './http-sms-transport.js';
import { SmppTransport } from './smpp-transport.js';
import { SmsInbox } from './sms-inbox.js';
import { smsRoutes } from './sms-routes.js';
import { SmsService } from './sms-service.js';
import type { SmsTransport } from './sms-transport.js';

/**
 * SMS over SMPP 3.4 (CALLSIGHT_SMPP_URL, smpp://user:pass@host:port) or an
 * HTTP gateway (CALLSIGHT_SMS_WEBHOOK_URL + _SECRET): the `sms` service,
 * inbound messages routed to agents as `sms` items, and the send API. With
 * neither the service is unavailable and senders (deflection, confirm links, the
 * API) fail with a clear error or fall back instead of pretending.
 */
export const smsFeature: Feature = {
  name: 'sms',
  needs: ['routing'],
  uses: ['telephony'],
  provides: ['sms', 'smsWebhook'],
  async setup(ctx, { routes, services }) {
    await routes.register((app) => smsRoutes(app, ctx));
    const { smppUrl, smsWebhookUrl, smsWebhookSecret, smsFrom, smsQueue } = ctx.config;
    let transport: SmsTransport;
    if (smppUrl) {
      transport = new SmppTransport({ url: smppUrl, log: ctx.log.child({ component: 'smpp' }) });
      services.unavailable('smsWebhook', 'SMS goes over SMPP (CALLSIGHT_SMPP_URL)');
    } else if (smsWebhookUrl && smsWebhookSecret) {
      const http = new HttpSmsTransport({ url: smsWebhookUrl, secret: smsWebhookSecret, egress: ctx.egress });
      services.provide('smsWebhook', http);
      transport = http;
    } else {
      const why = 'no SMS gateway is configured (CALLSIGHT_SMPP_URL or CALLSIGHT_SMS_WEBHOOK_URL)';
      services.unavailable('sms', why);
      services.unavailable('smsWebhook', why);
      return;
    }
    const sms = new SmsService(ctx, transport, smsFrom);
    const inbox = new SmsInbox(ctx, sms, smsQueue);
    sms.onInbound((m) => inbox.onMessage(m));
    services.provide('sms', sms);
    transport.start();
    return async () => {
      services.remove('sms');
      services.remove('smsWebhook');
      await transport.stop();
    };
  },
};
