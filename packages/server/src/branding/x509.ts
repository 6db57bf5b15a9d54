// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the
// Reflect metadata API loaded first; this module is the only import of x509.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
