import type { Feature } from '../features.js';
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
 * neither the service is absent and senders (deflection, confirm links, the
 * API) fail with a clear error or fall back instead of pretending.
 */
export const smsFeature: Feature = {
  name: 'sms',
  routes: smsRoutes,
  async start(ctx) {
    const { smppUrl, smsWebhookUrl, smsWebhookSecret, smsFrom, smsQueue } = ctx.config;
    let transport: SmsTransport;
    if (smppUrl) transport = new SmppTransport({ url: smppUrl, log: ctx.log.child({ component: 'smpp' }) });
    else if (smsWebhookUrl && smsWebhookSecret) {
      const http = new HttpSmsTransport({ url: smsWebhookUrl, secret: smsWebhookSecret });
      ctx.services.provide('smsWebhook', http);
      transport = http;
    } else return;
    const sms = new SmsService(ctx, transport, smsFrom);
    const inbox = new SmsInbox(ctx, sms, smsQueue);
    sms.onInbound((m) => inbox.onMessage(m));
    ctx.services.provide('sms', sms);
    transport.start();
    return async () => {
      ctx.services.remove('sms');
      ctx.services.remove('smsWebhook');
      await transport.stop();
    };
  },
};
