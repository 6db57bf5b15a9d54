import WebSocket from 'ws';
import type { TestServer } from '../helpers/test-server.js';

/** A logged-in person with their id, cookie and a socket collecting every message. */
export interface Person {
  id: string;
  cookie: string;
  messages: any[];
  socket: WebSocket;
  /** Sends a WS request and resolves with the reply carrying its ref. */
  request(msg: Record<string, unknown>): Promise<any>;
}

let nextRef = 1;

export async function connect(s: TestServer, email: string, password = 'demo'): Promise<Person> {
  const cookie = await s.login(email, password);
  const me = await s.api('GET', '/api/me', { cookie });
  const socket = new WebSocket(`${s.url.replace('http', 'ws')}/api/ws`, { headers: { cookie } });
  const messages: any[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', function onHello(data) {
      if (JSON.parse(String(data)).kind === 'hello') {
        socket.off('message', onHello);
        resolve();
      }
    });
  });
  return {
    id: me.body.user.id,
    cookie,
    messages,
    socket,
    request(msg) {
      const ref = `t${nextRef++}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${String(msg.kind)}`)), 5000);
        socket.on('message', function onReply(data) {
          const m = JSON.parse(String(data));
          if (m.ref !== ref) return;
          clearTimeout(timer);
          socket.off('message', onReply);
          resolve(m);
        });
        socket.send(JSON.stringify({ ...msg, ref }));
      });
    },
  };
}

export async function openInteraction(s: TestServer, cookie: string, customerId: string): Promise<string> {
  const res = await s.api('POST', '/api/interactions', { cookie, body: { channel: 'voice', customerId, subject: 'card test' } });
  if (res.status !== 201) throw new Error(`open interaction: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export const ADDRESS = { line1: '1 High Street', line2: '', city: 'Springfield', postcode: 'AB1 2CD', country: 'GB' };
/** A real, checksum-valid IBAN (the ECBS example). */
export const GOOD_IBAN = 'DE89370400440532013000';
