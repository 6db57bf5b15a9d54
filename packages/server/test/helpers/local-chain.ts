import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ganache from 'ganache';
import { createPublicClient, createWalletClient, erc20Abi, getAddress, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/**
 * A local EVM chain for the rewards tests and the demo: ganache, in process, from npm
 * (pure JavaScript with the native parts it needs shipped in the package: nothing is
 * downloaded), listening on 127.0.0.1. Blocks are mined when a transaction arrives;
 * `mine()` adds empty blocks for confirmations. The ERC-20 test token is deployed from
 * its compiled artifact (test/fixtures/rewards, reproduced by scripts/compile-test-token.ts).
 */
export const HOT_WALLET_KEY: Hex = '0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d';
export const CHAIN_ID = 1337;

const here = path.dirname(fileURLToPath(import.meta.url));
const artifact = JSON.parse(readFileSync(path.join(here, '../fixtures/rewards/test-token.json'), 'utf8')) as { abi: unknown[]; bytecode: Hex };

export interface LocalChain {
  rpcUrl: string;
  token: Address;
  hotWallet: Address;
  balanceOf(address: Address): Promise<bigint>;
  nativeBalance(address: Address): Promise<bigint>;
  mine(blocks?: number): Promise<void>;
  /** Stops answering (the server sees an unreachable chain) and starts again on the same port with the same state. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalChain(): Promise<LocalChain> {
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId: CHAIN_ID, hardfork: 'shanghai' },
    wallet: { accounts: [{ secretKey: HOT_WALLET_KEY, balance: '0x56BC75E2D63100000' /* 100 ETH */ }] },
    miner: { instamine: 'eager' },
  });
  await server.listen(0, '127.0.0.1');
  const port = (server as unknown as { address(): AddressInfo }).address?.()?.port;
  const rpcUrl = `http://127.0.0.1:${port}`;
  const account = privateKeyToAccount(HOT_WALLET_KEY);
  const pub = createPublicClient({ transport: http(rpcUrl) });
  const wallet = createWalletClient({ account, transport: http(rpcUrl) });
  const chain = { id: CHAIN_ID, name: 'local', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } } as const;
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: [10n ** 15n], chain });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  const token = getAddress(receipt.contractAddress!);
  const provider = server.provider;
  return {
    rpcUrl,
    token,
    hotWallet: account.address,
    balanceOf: (address) => pub.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [address] }),
    nativeBalance: (address) => pub.getBalance({ address }),
    async mine(blocks = 1) {
      for (let i = 0; i < blocks; i++) await provider.request({ method: 'evm_mine', params: [] });
    },
    async pause() {
      await provider.request({ method: 'miner_stop', params: [] });
    },
    async resume() {
      await provider.request({ method: 'miner_start', params: [] });
    },
    close: () => server.close(),
  };
}
