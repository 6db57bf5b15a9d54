import path from 'node:path';
import type { Feature } from '../core/feature.js';
import { ensurePrivateDir } from '../core/private-files.js';
import { CaptureService } from './capture-service.js';
import { CardSpeech } from './card-speech.js';
import { LocalTestConnector, type PaymentConnector } from './payment-connector.js';
import { KeyringEnvProvider, LocalKeyFileProvider, type KeyProvider } from './key-provider.js';
import { VaultAudit } from './vault-audit.js';
import { vaultRoutes } from './vault-routes.js';
import { VaultService } from './vault-service.js';

/**
 * The card vault: customers save cards in /phone and read them into a live call
 * without saying them aloud. Keys come from the operator's keyring
 * (CALLSIGHT_VAULT_KEYS) or a key file in the data dir. Agents may also collect a card
 * on the customer's keypad (CaptureService), which goes to a PaymentConnector.
 */
export function createVaultFeature(opts: { provider?: KeyProvider; connector?: PaymentConnector } = {}): Feature {
  return {
    name: 'vault',
    uses: ['telephony'],
    async setup(ctx, { routes }) {
      let provider = opts.provider;
      if (!provider) {
        if (ctx.config.vaultKeys) provider = new KeyringEnvProvider(ctx.config.vaultKeys);
        else {
          ensurePrivateDir(ctx.config.dataDir);
          provider = new LocalKeyFileProvider(path.join(ctx.config.dataDir, 'vault-keys.json'));
        }
      }
      const tts = ctx.services.maybe('telephony')?.media.tts;
      const speech = new CardSpeech(tts ?? { synthesize: () => Promise.reject(new Error('no text-to-speech without telephony')) });
      const service = new VaultService(ctx, provider, speech);
      // Keyed cards go to the local test connector unless the operator plugs in a processor's.
      const captures = new CaptureService(ctx, opts.connector ?? new LocalTestConnector(), (...ids) => service.claimReading(...ids));
      await routes.register(vaultRoutes(service, captures, new VaultAudit(ctx)));
      const warming = (async () => {
        if (tts && (await service.anyCard())) await service.warmSpeech();
      })().catch(() => {});
      return () => warming;
    },
  };
}

export const vaultFeature = createVaultFeature();
