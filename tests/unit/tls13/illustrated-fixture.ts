/**
 * "The Illustrated TLS 1.3 Connection" (syncsynchalt/illustrated-tls13, MIT), copied to
 * fixtures/tls13-vectors/illustrated-tls13/ with its README and LICENSE: caps/ (each `enc*` file one protected
 * record as sent; the matching plaintext file its TLSInnerPlaintext; clienthello/serverhello whole records),
 * keys/ (the fixed x25519 private keys), keylog.txt (the NSS key log of the capture).
 * Suite TLS_AES_256_GCM_SHA384, x25519, client random 00 01 ... 1f.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../../src/lib/tls12/crypto/index.ts';

export const ILLUSTRATED13_DIR = fileURLToPath(
  new URL('../../../fixtures/tls13-vectors/illustrated-tls13/', import.meta.url),
);

export function cap13(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${ILLUSTRATED13_DIR}caps/${name}`));
}

export function x25519Key(side: 'client' | 'server'): Uint8Array {
  return fromHex(readFileSync(`${ILLUSTRATED13_DIR}keys/${side}-x25519-private.hex`, 'utf8').trim());
}

export function keylog13(): string {
  return readFileSync(`${ILLUSTRATED13_DIR}keylog.txt`, 'utf8');
}

/** The protected records, in the order each side sent them, with the plaintext file inside each. */
export const PROTECTED_RECORDS = {
  serverHandshake: [
    ['serverencextensions', 'serverextensions'],
    ['serverenccert', 'servercert'],
    ['serverenccertverify', 'servercertverify'],
    ['serverencfinished', 'serverfinished'],
  ],
  clientHandshake: [['clientencfinished', 'clientfinished']],
  serverApplication: [
    ['serverencticket1', 'serverticket1'],
    ['serverencticket2', 'serverticket2'],
    ['serverencdata', 'serverdata'],
  ],
  clientApplication: [['clientencdata', 'clientdata']],
} as const;

/** The server's first flight as sent, record by record (ServerHello to the protected Finished). */
export const SERVER_FLIGHT = [
  'serverhello',
  'serverccs',
  'serverencextensions',
  'serverenccert',
  'serverenccertverify',
  'serverencfinished',
] as const;
