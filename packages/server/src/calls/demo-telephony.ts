import type { AppContext } from '../app-context.js';
import type { FlowRepo } from './flows/flow-repo.js';
import type { Verb } from './flows/flow-schema.js';
import type { NumberRepo } from './number-repo.js';
import type { SipAccountRepo } from './sip-account-repo.js';

/** The demo IVR on 100: a greeting and a DTMF menu (1: support queue, 2: balance, 3: the agent's phone, 9: echo test). */
export const DEMO_MAIN_FLOW: Verb[] = [
  {
    verb: 'gather',
    prompt: [{ verb: 'say', text: 'Welcome to Acme Bank. For support, press 1. For your balance, press 2. To reach your agent directly, press 3. For an echo test, press 9.', loop: 1 }],
    numDigits: 1,
    timeoutSeconds: 5,
    attempts: 2,
    branches: {
      '1': [
        { verb: 'say', text: 'Connecting you to support.', loop: 1 },
        { verb: 'enqueue', queue: 'support' },
      ],
      '3': [
        { verb: 'say', text: 'Connecting you to your agent.', loop: 1 },
        { verb: 'dial', target: 'agent', timeoutSeconds: 30 },
        { verb: 'say', text: 'Sorry, no agent answered. Goodbye.', loop: 1 },
      ],
      '2': [{ verb: 'say', text: 'Your balance is one thousand two hundred dollars. Goodbye.', loop: 1 }],
      '9': [{ verb: 'say', text: 'Echo test. Speak and you will hear yourself.', loop: 1 }, { verb: 'echo', seconds: 600 }],
      default: [{ verb: 'say', text: 'That is not an option. Goodbye.', loop: 1 }],
    },
    noInput: [{ verb: 'say', text: 'We did not receive any input. Goodbye.', loop: 1 }],
  },
];

/**
 * Demo telephony for Acme Bank (idempotent): `sip:echo@<host>` echoes, `sip:100@<host>`
 * is the IVR above, `sip:room@<host>` joins the audio room "Lobby" (which /rooms users see), `sip:700@<host>` listens to
 * a live conversation by its code, SIP account `agent` (the demo agent's desk phone) and `customer`,
 * and the customer's number +15550100 rings the customer. SIP passwords are the demo password.
 */
export async function seedDemoTelephony(
  ctx: AppContext,
  repos: { flows: FlowRepo; numbers: NumberRepo; sipAccounts: SipAccountRepo },
): Promise<void> {
  const tenant = await ctx.tenants.bySlug('acme');
  if (!tenant) return;
  const flow = async (name: string, verbs: Verb[]) => (await repos.flows.get(tenant.id, name)) ?? repos.flows.create(tenant.id, name, verbs);
  const echo = await flow('echo', [{ verb: 'echo', seconds: 600 }]);
  const main = await flow('main', DEMO_MAIN_FLOW);
  const lobby = await flow('room', [{ verb: 'room', room: 'Lobby', role: 'speaker' }]);
  const listen = await flow('conversations', [{ verb: 'conversation' }]);
  const agent = await ctx.users.byEmailWithHash('agent@acme.test');
  const customer = await ctx.users.byEmailWithHash('customer@acme.test');
  const number = async (value: string, target: { flowId?: string; userId?: string }) => {
    if (!(await repos.numbers.lookup(value))) await repos.numbers.create({ tenantId: tenant.id, number: value, ...target });
  };
  await number('echo', { flowId: echo.id });
  await number('100', { flowId: main.id });
  await number('room', { flowId: lobby.id });
  await number('700', { flowId: listen.id });
  if (customer) await number('+15550100', { userId: customer.id });
  for (const [username, user] of [
    ['agent', agent],
    ['customer', customer],
  ] as const) {
    if (user && !(await repos.sipAccounts.credentials(username))) {
      await repos.sipAccounts.create({ tenantId: tenant.id, username, password: ctx.config.demoPassword, userId: user.id });
    }
  }
}
