import {
  createPublicClient,
  defineChain,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  http,
  keccak256,
  parseEventLogs,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/**
 * The on-chain side of crypto redemptions, with viem: read a token's decimals and symbol,
 * sign a native or ERC-20 transfer (the caller stores the signed bytes before sending
 * them), send it, and judge its receipt (status, the decoded Transfer log, confirmations).
 */

/** Strict EIP-55: the address as typed must be exactly its checksummed form (all-lowercase is refused too). */
export function isChecksummedAddress(address: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  try {
    return getAddress(address) === address;
  } catch {
    return false;
  }
}

export interface ChainTarget {
  rpcUrl: string;
  chainId: number;
}

const clients = new Map<string, PublicClient>();
export function publicClient(t: ChainTarget): PublicClient {
  const key = `${t.chainId}|${t.rpcUrl}`;
  let c = clients.get(key);
  if (!c) {
    const chain = defineChain({ id: t.chainId, name: `chain ${t.chainId}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [t.rpcUrl] } } });
    c = createPublicClient({ chain, transport: http(t.rpcUrl, { retryCount: 0, timeout: 5000 }) }) as PublicClient;
    clients.set(key, c);
  }
  return c;
}

/** The chain's head now: viem otherwise keeps it for its polling interval (4 s), and a payout just mined would read as not yet confirmed. */
const headOf = (c: PublicClient) => c.getBlockNumber({ cacheTime: 0 });

/** How often a chain's head is read while a payout waits for confirmations. */
const HEAD_POLL_MS = 250;

/** Calls `onBlock` for each new block of the chain until the returned function is called. */
export function watchHeads(t: ChainTarget, onBlock: () => void): () => void {
  return publicClient(t).watchBlockNumber({ onBlockNumber: onBlock, poll: true, pollingInterval: HEAD_POLL_MS, emitOnBegin: false, onError: () => {} });
}

export async function tokenInfo(t: ChainTarget, token: Address | null): Promise<{ symbol: string; decimals: number }> {
  const c = publicClient(t);
  const chainId = await c.getChainId();
  if (chainId !== t.chainId) throw new Error(`the node at ${t.rpcUrl} is chain ${chainId}, not ${t.chainId}`);
  if (!token) return { symbol: 'ETH', decimals: 18 };
  const [decimals, symbol] = await Promise.all([
    c.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' }),
    c.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' }),
  ]);
  return { symbol, decimals: Number(decimals) };
}

export function addressOfKey(privateKey: Hex): Address {
  return privateKeyToAccount(privateKey).address;
}

/** Signs (does not send) the payout: the raw bytes and their hash, which is the transaction's hash. */
export async function signPayout(
  t: ChainTarget,
  privateKey: Hex,
  p: { token: Address | null; to: Address; amount: bigint; nonce: number },
): Promise<{ raw: Hex; hash: Hex }> {
  const c = publicClient(t);
  const account = privateKeyToAccount(privateKey);
  const data = p.token ? encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [p.to, p.amount] }) : undefined;
  const to = p.token ?? p.to;
  const value = p.token ? 0n : p.amount;
  const [gas, fees] = await Promise.all([c.estimateGas({ account: account.address, to, data, value }), c.estimateFeesPerGas()]);
  const raw = await account.signTransaction({
    chainId: t.chainId,
    type: 'eip1559',
    to,
    data,
    value,
    nonce: p.nonce,
    gas: (gas * 12n) / 10n,
    maxFeePerGas: fees.maxFeePerGas! * 2n,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas!,
  });
  return { raw, hash: keccak256(raw) };
}

export async function nextNonce(t: ChainTarget, address: Address): Promise<number> {
  return publicClient(t).getTransactionCount({ address, blockTag: 'pending' });
}

/** Sends signed bytes; a node that already has them (a re-send after a restart) is not an error. */
export async function broadcast(t: ChainTarget, raw: Hex): Promise<void> {
  try {
    await publicClient(t).sendRawTransaction({ serializedTransaction: raw });
  } catch (err) {
    const msg = String((err as Error).message ?? err);
    if (/already known|already imported|known transaction|nonce too low|already exists/i.test(msg)) return;
    throw err;
  }
}

export type PayoutVerdict =
  | { state: 'unknown' }
  | { state: 'waiting'; confirmations: number }
  | { state: 'confirmed'; confirmations: number }
  | { state: 'failed'; reason: string; confirmations: number };

/**
 * Where a sent payout stands: not seen yet, mined with too few confirmations, confirmed
 * (status success and the transfer it made equals the ledger's: a decoded ERC-20 Transfer
 * log from the hot wallet to the address for the amount, or the native value), or failed.
 */
export async function judgePayout(
  t: ChainTarget,
  hash: Hex,
  expect: { token: Address | null; from: Address; to: Address; amount: bigint; confirmations: number },
): Promise<PayoutVerdict> {
  const c = publicClient(t);
  const receipt = await c.getTransactionReceipt({ hash }).catch((err) => {
    if (/could not be found|not found/i.test(String(err?.message))) return null;
    throw err;
  });
  if (!receipt) return { state: 'unknown' };
  const head = await headOf(c);
  const confirmations = Number(head - receipt.blockNumber + 1n);
  if (receipt.status !== 'success') return { state: 'failed', reason: 'The transaction reverted', confirmations };
  if (expect.token) {
    const logs = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs }).filter((l) => getAddress(l.address) === getAddress(expect.token!));
    const ok = logs.some((l) => getAddress(l.args.from) === expect.from && getAddress(l.args.to) === expect.to && l.args.value === expect.amount);
    if (!ok) return { state: 'failed', reason: 'The receipt has no Transfer log matching the ledger entry', confirmations };
  } else {
    const tx = await c.getTransaction({ hash });
    if (!tx.to || getAddress(tx.to) !== expect.to || tx.value !== expect.amount) return { state: 'failed', reason: 'The transaction does not pay what the ledger holds', confirmations };
  }
  return confirmations >= expect.confirmations ? { state: 'confirmed', confirmations } : { state: 'waiting', confirmations };
}

/**
 * The receipt of a payout that the ledger holds as paid, for a proof: its block, and the
 * amount the transaction really moved to `to` (the decoded Transfer log, or the native value).
 * Null when the chain no longer has it, or it does not pay what the ledger holds.
 */
export async function paymentReceipt(
  t: ChainTarget,
  hash: Hex,
  expect: { token: Address | null; from: Address; to: Address; amount: bigint },
): Promise<{ blockNumber: bigint; blockHash: Hex; amount: bigint; confirmations: number } | null> {
  const c = publicClient(t);
  const receipt = await c.getTransactionReceipt({ hash }).catch((err) => {
    if (/could not be found|not found/i.test(String(err?.message))) return null;
    throw err;
  });
  if (!receipt || receipt.status !== 'success') return null;
  let moved: bigint | undefined;
  if (expect.token) {
    const log = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs }).find(
      (l) => getAddress(l.address) === getAddress(expect.token!) && getAddress(l.args.from) === expect.from && getAddress(l.args.to) === expect.to,
    );
    moved = log?.args.value;
  } else {
    const tx = await c.getTransaction({ hash });
    if (tx.to && getAddress(tx.to) === expect.to) moved = tx.value;
  }
  if (moved !== expect.amount) return null;
  const head = await headOf(c);
  return { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, amount: moved, confirmations: Number(head - receipt.blockNumber + 1n) };
}
