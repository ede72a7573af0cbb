/**
 * The plainest TLS 1.3 connection of ours, client and server, on the test PKI: the client trusts the test CA and
 * asks for localhost, the server holds the RSA leaf. `extra` adds to or replaces parts of the scenario.
 */
import { pemToDer } from '../../../src/lib/tls12/index.ts';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier.ts';
import type { Scenario13 } from '../../../src/lib/tls13/index.ts';
import { testPki } from './pki.ts';

export async function testScenario13(extra: Partial<Scenario13> = {}): Promise<Scenario13> {
  const pki = await testPki();
  return {
    client: {
      serverName: 'localhost',
      verifier: pkiVerifier({ anchors: pemToDer(pki.ca.certPem, 'CERTIFICATE') }),
    },
    server: {
      certificates: [
        {
          chain: pemToDer(pki.rsa.certPem, 'CERTIFICATE'),
          privateKey: pemToDer(pki.rsa.keyPem, 'PRIVATE KEY')[0] as Uint8Array,
        },
      ],
    },
    ...extra,
  };
}
