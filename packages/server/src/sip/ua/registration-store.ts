/** Where a registrar keeps bindings (RFC 3261 10.3); the lead adds a store-backed implementation. */
import type { FlowSource } from '../transport/flow.js';

export interface RegistrationBinding {
  /** The Contact URI as registered (no header params). */
  contact: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Where the REGISTER came from: the flow to reach a NATed or WebSocket UA (RFC 5626 / RFC 7118). */
  source: FlowSource;
  /** +sip.instance (RFC 5626 4.1), when given. */
  instanceId?: string;
  /** reg-id (RFC 5626 4.2): which of the instance's flows this binding is; only with `instanceId`. */
  regId?: number;
  callId: string;
  cseq: number;
}

export interface RegistrationStore {
  /** Adds or replaces the binding of `aor` with the same contact. */
  save(aor: string, binding: RegistrationBinding): Promise<void>;
  /** Removes one contact, or all bindings of the AOR when `contact` is omitted. */
  remove(aor: string, contact?: string): Promise<void>;
  /** Current (unexpired) bindings. */
  lookup(aor: string): Promise<RegistrationBinding[]>;
}

export class InMemoryRegistrationStore implements RegistrationStore {
  private readonly bindings = new Map<string, Map<string, RegistrationBinding>>();

  constructor(private readonly now: () => number = Date.now) {}

  async save(aor: string, binding: RegistrationBinding): Promise<void> {
    let m = this.bindings.get(aor);
    if (!m) this.bindings.set(aor, (m = new Map()));
    m.set(binding.contact, binding);
  }

  async remove(aor: string, contact?: string): Promise<void> {
    if (contact === undefined) this.bindings.delete(aor);
    else this.bindings.get(aor)?.delete(contact);
  }

  async lookup(aor: string): Promise<RegistrationBinding[]> {
    const m = this.bindings.get(aor);
    if (!m) return [];
    const now = this.now();
    for (const [c, b] of m) if (b.expiresAt <= now) m.delete(c);
    return [...m.values()];
  }
}
