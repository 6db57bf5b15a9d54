import type { Logger } from '../core/logger.js';
import type { Registration, RegisterOptions } from '../sip/ua/registration.js';
import type { TrunkRepo } from './trunk-repo.js';

type Registering = { register(opts: RegisterOptions): Registration };
type Active = { settings: string; reg: Registration };

/**
 * Keeps each trunk marked `register` registered with its carrier. A trunk whose
 * address, credentials or flag change is brought in line at once — the old binding
 * removed (Expires: 0) and a new REGISTER sent — instead of the carrier keeping the
 * old binding until it expires and the new settings waiting for the next refresh.
 */
export class TrunkRegistrations {
  private readonly active = new Map<string, Active>();
  /** One change at a time per trunk, in the order made: two quick edits end on the second's settings. */
  private chain = Promise.resolve();

  constructor(private readonly deps: { endpoint: Registering; trunks: TrunkRepo; log: Logger }) {}

  start(): Promise<void> {
    return this.queue(async () => {
      for (const t of await this.deps.trunks.all()) await this.apply(t.id, t);
    });
  }

  /** After a trunk was created or changed: registers, re-registers or unregisters it as its stored settings say. */
  sync(trunkId: string): Promise<void> {
    return this.queue(async () => this.apply(trunkId, (await this.deps.trunks.all()).find((t) => t.id === trunkId)));
  }

  /** The trunk was removed: its binding goes with it. */
  forget(trunkId: string): Promise<void> {
    return this.queue(() => this.apply(trunkId, undefined));
  }

  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step).catch((err) => this.deps.log.error({ err }, 'trunk registration update failed'));
    this.chain = next;
    return next;
  }

  /** Whether a trunk has a registration running here (for tests and status). */
  isRegistering(trunkId: string): boolean {
    return this.active.has(trunkId);
  }

  private async apply(trunkId: string, t: Awaited<ReturnType<TrunkRepo['all']>>[number] | undefined): Promise<void> {
    const opts = t?.register && t.credentials ? registerOptions(t.address, t.credentials) : undefined;
    // Compared in memory only: the password is part of what must trigger a re-registration.
    const settings = opts ? JSON.stringify(opts) : '';
    const current = this.active.get(trunkId);
    if (current?.settings === settings) return;
    if (current) {
      this.active.delete(trunkId);
      await current.reg.unregister().catch((err) => this.deps.log.warn({ err, trunkId }, 'trunk unregister failed'));
    }
    if (!opts) return;
    const reg = this.deps.endpoint.register(opts);
    reg.on('registered', ({ expires }) => this.deps.log.info({ trunkId, expires }, 'trunk registered'));
    reg.on('failed', (err) => this.deps.log.warn({ trunkId, status: err.status }, 'trunk registration failed'));
    this.active.set(trunkId, { settings, reg });
  }
}

/** The carrier's registrar is the trunk's address; the address of record is the account at the carrier's host. */
function registerOptions(address: string, c: { username: string; password: string }): RegisterOptions {
  const host = address.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').replace(/[;>].*$/, '').replace(/:\d+$/, '');
  const scheme = /^sips:/i.test(address) ? 'sips' : 'sip';
  return { registrar: address, aor: `${scheme}:${c.username}@${host}`, username: c.username, password: c.password };
}
