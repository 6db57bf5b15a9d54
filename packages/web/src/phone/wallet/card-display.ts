import { BRAND_NAMES, type CardBrand, type VaultCard } from '@callsight/sdk';

/** "Visa •••• 1234": the most of a card anyone is ever shown. */
export const cardLabel = (c: { brand: CardBrand; last4: string }) => `${BRAND_NAMES[c.brand]} •••• ${c.last4}`;
/** Spoken by screen readers as "Visa ending in 1234". */
export const cardAriaLabel = (c: { brand: CardBrand; last4: string }) => `${BRAND_NAMES[c.brand]} ending in ${c.last4.split('').join(' ')}`;
export const expiryText = (c: Pick<VaultCard, 'expMonth' | 'expYear'>) => `${String(c.expMonth).padStart(2, '0')}/${String(c.expYear % 100).padStart(2, '0')}`;
