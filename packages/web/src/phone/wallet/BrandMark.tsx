import { BRAND_NAMES, type CardBrand, type VaultCard } from '@callsight/sdk';
import { cardLabel, expiryText } from './card-display';

/** A small coloured tile with the scheme's short name (no logos are bundled). */
const SHORT: Record<CardBrand, string> = { visa: 'VISA', mastercard: 'MC', amex: 'AMEX', discover: 'DISC', diners: 'DC', jcb: 'JCB', unionpay: 'UP', maestro: 'MAE', unknown: 'CARD' };

export function BrandMark({ brand }: { brand: CardBrand }) {
  return (
    <span className={`brand-mark brand-${brand}`} aria-hidden="true" title={BRAND_NAMES[brand]}>
      {SHORT[brand]}
    </span>
  );
}

/** A saved card as the wallet and the read-card sheet show it: brand, brand and last 4, holder and expiry. */
export function CardFace({ card }: { card: VaultCard }) {
  return (
    <>
      <BrandMark brand={card.brand} />
      <span className="grow">
        <strong>{cardLabel(card)}</strong>
        <span className="muted small block">
          {card.holderName} · expires {expiryText(card)}
        </span>
      </span>
    </>
  );
}
