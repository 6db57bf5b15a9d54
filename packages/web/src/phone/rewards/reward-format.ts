import type { RewardPayoutInfo, RewardRedemption } from '@callsight/sdk';
import { formatUnits, getAddress } from 'viem';

const pointsFmt = new Intl.NumberFormat(undefined);
export const formatPoints = (n: number) => `${pointsFmt.format(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;

/** What `points` are worth in the payout asset, e.g. "1.25 CSTD" (exact: base units in bigint). */
export function pointsValue(points: number, payout: RewardPayoutInfo): string {
  const units = BigInt(Math.max(0, points)) * BigInt(payout.unitsPerPoint);
  const n = Number(formatUnits(units, payout.decimals));
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 }).format(n)} ${payout.symbol}`;
}

/** 0x52908400…69EE7 → 0x5290…9EE7: enough to recognise, short enough to read aloud. */
export const shortHex = (hex: string, keep = 4) => (hex.length > 2 + keep * 2 + 1 ? `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}` : hex);

/**
 * Checks a wallet address as it is typed, strictly like the server: 0x and 40 hex
 * digits matching their EIP-55 checksum (the case of each letter), so a mistyped
 * character is caught before any payout.
 * Returns the reason it is not usable, or null.
 */
export function addressProblem(raw: string): string | null {
  const a = raw.trim();
  if (!a) return 'Paste the address of your wallet';
  if (!/^0x[0-9a-fA-F]*$/.test(a)) return 'A wallet address starts with 0x and has only the digits 0–9 and letters a–f';
  if (a.length !== 42) return `A wallet address has 40 characters after 0x (this one has ${a.length - 2})`;
  if (getAddress(a) === a) return null;
  if (a === a.toLowerCase()) return 'Copy the address with its capital letters: they are its checksum';
  return 'This address does not match its checksum: a character is probably mistyped';
}

export const isFinal = (r: RewardRedemption) => r.status === 'confirmed' || r.status === 'failed';

/** A redemption's state in words. */
export function redemptionStatus(r: RewardRedemption, needed: number | null): string {
  if (r.kind === 'transfer') return r.status === 'confirmed' ? 'Sent' : 'Failed';
  switch (r.status) {
    case 'pending':
      return 'Preparing the payment';
    case 'submitted':
      return needed ? `Waiting for the network (${Math.min(r.confirmations, needed)} of ${needed} confirmations)` : 'Waiting for the network';
    case 'confirmed':
      return 'Paid';
    case 'failed':
      return 'Not paid: your points are back';
  }
}
