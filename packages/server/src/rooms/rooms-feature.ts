import type { AppContext } from '../app-context.js';
import type { Feature } from '../features.js';
import type { WsClient } from '../http/ws-hub.js';
import { registerGuestSocket } from './guest-socket.js';
import { RoomRegistry } from './room-registry.js';
import { RoomRepo } from './room-repo.js';
import { roomRoutes } from './room-routes.js';
import { roomMessages, RoomSignalling, type SignalClient } from './room-signalling.js';
import { roomCalls } from './room-calls.js';

/** The rooms services of one running server (tests run several in one process). */
export interface RoomServices {
  repo: RoomRepo;
  registry: RoomRegistry;
  signalling: RoomSignalling;
}

const services = new WeakMap<AppContext, RoomServices>();

/** Rooms of a server (the calls layer puts phone calls in rooms through the `rooms` service). */
export function roomServicesOf(ctx: AppContext): RoomServices {
  let s = services.get(ctx);
  if (!s) {
    const repo = new RoomRepo(ctx.store, ctx.secretBox);
    const registry = new RoomRegistry(ctx);
    s = { repo, registry, signalling: new RoomSignalling(repo, registry) };
    services.set(ctx, s);
  }
  return s;
}

/** One SignalClient per hub socket, so a socket's joined rooms are found again on each message. */
const adapters = new WeakMap<WsClient, SignalClient>();
const adapt = (c: WsClient): SignalClient => {
  let a = adapters.get(c);
  if (!a) {
    a = { tenantId: c.principal.tenantId, userId: c.principal.userId, send: (m) => c.send(m), sendText: (t) => c.sendText(t), onClose: (l) => c.onClose(l) };
    adapters.set(c, a);
  }
  return a;
};

export const roomsFeature: Feature = {
  name: 'rooms',
  routes: async (app, ctx) => {
    const { repo, registry, signalling } = roomServicesOf(ctx);
    await roomRoutes(repo, registry)(app, ctx);
    registerGuestSocket(app, signalling);
  },
  async start(ctx, { ws }) {
    const { repo, registry, signalling } = roomServicesOf(ctx);
    ctx.services.provide('rooms', roomCalls(ctx, repo, registry));
    for (const kind of Object.keys(roomMessages) as (keyof typeof roomMessages)[]) {
      const handler = signalling.handlers[kind] as (c: SignalClient, m: unknown) => Promise<object>;
      ws.handle(kind, roomMessages[kind], (client, msg) => handler(adapt(client), msg));
    }
    return async () => {
      ctx.services.remove('rooms');
      registry.closeAll();
      services.delete(ctx);
    };
  },
};
