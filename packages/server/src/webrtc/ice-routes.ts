import { z } from 'zod';
import type { IceConfig } from '@callsight/protocol';
import type { HttpApp } from '../http/http-types.js';
import { wire } from '../http/wire-schema.js';
import type { IceServers } from './ice-servers.js';

const iceConfigSchema = wire<IceConfig>()(
  z.object({
    iceServers: z.array(z.object({ urls: z.array(z.string()), username: z.string().optional(), credential: z.string().optional() })),
    iceTransportPolicy: z.enum(['all', 'relay']),
    expiresAt: z.number().nullable(),
  }),
);

/** `GET /api/rtc/ice`: the STUN/TURN servers for any WebRTC client of this server (SIP.js, JsSIP, the SDK). */
export async function iceRoutes(app: HttpApp, ice: IceServers): Promise<void> {
  app.get(
    '/api/rtc/ice',
    {
      config: { role: 'customer' },
      schema: {
        tags: ['webrtc'],
        summary: 'STUN/TURN servers for RTCConfiguration, with TURN credentials made for you that expire (TURN REST API)',
        response: { 200: iceConfigSchema },
      },
    },
    async (req, reply) => {
      // Credentials are per user and time-limited: no shared cache may keep them.
      reply.header('cache-control', 'no-store');
      return ice.for(req.principal);
    },
  );
}
