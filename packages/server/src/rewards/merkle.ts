import { createHash } from 'node:crypto';

/**
 * A binary Merkle tree over sha256 leaves (RFC 6962 style domain separation: leaves
 * hash 0x00 ‖ data, nodes 0x01 ‖ left ‖ right; an odd node is promoted unpaired).
 */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

export const leafHash = (data: string): string => sha(Buffer.from([0]), Buffer.from(data, 'utf8')).toString('hex');
const nodeHash = (l: string, r: string) => sha(Buffer.from([1]), Buffer.from(l, 'hex'), Buffer.from(r, 'hex')).toString('hex');

export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return sha(Buffer.alloc(0)).toString('hex');
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

export function merkleProof(leaves: readonly string[], index: number): { hash: string; left: boolean }[] {
  const path: { hash: string; left: boolean }[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    const sib = i % 2 === 0 ? i + 1 : i - 1;
    if (sib < level.length) path.push({ hash: level[sib]!, left: sib < i });
    const next: string[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(j + 1 < level.length ? nodeHash(level[j]!, level[j + 1]!) : level[j]!);
    level = next;
    i = Math.floor(i / 2);
  }
  return path;
}

export function verifyProof(leaf: string, path: readonly { hash: string; left: boolean }[], root: string): boolean {
  let h = leaf;
  for (const p of path) h = p.left ? nodeHash(p.hash, h) : nodeHash(h, p.hash);
  return h === root;
}
