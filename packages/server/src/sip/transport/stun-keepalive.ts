/**
 * STUN keep-alives on the SIP UDP port (RFC 5626 4.4.2, RFC 8489): a phone behind NAT
 * sends Binding requests to keep its mapping open and learns its public address from
 * our answer. Only a well-formed Binding request is answered, with XOR-MAPPED-ADDRESS;
 * anything else that looks like STUN is dropped.
 */
import { isIPv4 } from 'node:net';

const MAGIC = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;

/** STUN's first two bits are zero and bytes 4–7 the magic cookie: no SIP message starts like that. */
export function isStun(data: Buffer): boolean {
  return data.length >= 20 && (data[0] & 0xc0) === 0 && data.readUInt32BE(4) === MAGIC;
}

/** The Binding success response to `request` as seen from `address:port`, or null when it is not a Binding request. */
export function stunBindingResponse(request: Buffer, address: string, port: number): Buffer | null {
  if (!isStun(request) || request.readUInt16BE(0) !== BINDING_REQUEST) return null;
  const length = request.readUInt16BE(2);
  if (length % 4 !== 0 || 20 + length !== request.length) return null;
  const v4 = isIPv4(address.replace(/^::ffff:/i, ''));
  if (!v4) return null; // IPv6 XOR mapping needs the transaction id; phones on v6 need no NAT keep-alive
  const ip = address.replace(/^::ffff:/i, '').split('.').map(Number);
  const attr = Buffer.alloc(12);
  attr.writeUInt16BE(XOR_MAPPED_ADDRESS, 0);
  attr.writeUInt16BE(8, 2);
  attr.writeUInt8(0, 4);
  attr.writeUInt8(0x01, 5);
  attr.writeUInt16BE(port ^ (MAGIC >>> 16), 6);
  const packed = ((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0;
  attr.writeUInt32BE((packed ^ MAGIC) >>> 0, 8);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt16BE(attr.length, 2);
  header.writeUInt32BE(MAGIC, 4);
  request.copy(header, 8, 8, 20);
  return Buffer.concat([header, attr]);
}
