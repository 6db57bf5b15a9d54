import type { CallManager } from './call-manager.js';
import type { CallRepo } from './call-repo.js';
import type { FlowRepo } from './flows/flow-repo.js';
import type { MediaEngine } from './media-engine.js';
import type { NumberRepo } from './number-repo.js';
import type { RegistrationRepo } from './registration-repo.js';
import type { SipAccountRepo } from './sip-account-repo.js';
import type { TrunkRepo } from './trunk-repo.js';
import type { Registrar, SipEndpoint } from '../sip/ua/index.js';

/** The telephony service other features use (via `ctx.services.get('telephony')`). */
export interface Telephony {
  endpoint: SipEndpoint;
  registrar: Registrar;
  media: MediaEngine;
  manager: CallManager;
  calls: CallRepo;
  flows: FlowRepo;
  numbers: NumberRepo;
  sipAccounts: SipAccountRepo;
  registrations: RegistrationRepo;
  trunks: TrunkRepo;
}

declare module '../core/services.js' {
  interface Services {
    telephony: Telephony;
  }
}
