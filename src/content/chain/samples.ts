/**
 * Chain Lab samples: real public CA certificates (fixtures/public-ca, see its README for provenance) and
 * generated teaching chains (fixtures/generated-chains, made by scripts/gen-chain-samples.ts). Each sample
 * is fully described by its id plus the URL's controls, so a link reproduces it.
 */
import type { ProfileName, Purpose } from '../../lib/pki/index';
import msLeaf from '../../../fixtures/public-ca/azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem?raw';
import ca07Xsign from '../../../fixtures/public-ca/azure/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem?raw';
import ca07Ms from '../../../fixtures/public-ca/azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem?raw';
import digicertG2 from '../../../fixtures/public-ca/azure/root_digicert-global-root-g2.pem?raw';
import msRoot2017 from '../../../fixtures/public-ca/azure/root_microsoft-rsa-root-ca-2017.pem?raw';
import r3ByX1 from '../../../fixtures/public-ca/letsencrypt/int_r3_by-isrg-root-x1.pem?raw';
import x1ByDst from '../../../fixtures/public-ca/letsencrypt/int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem?raw';
import x1Self from '../../../fixtures/public-ca/letsencrypt/root_isrg-root-x1_selfsigned.pem?raw';
import dstRoot from '../../../fixtures/public-ca/letsencrypt/root_dst-root-ca-x3_expired-2021.pem?raw';
import genRoot from '../../../fixtures/generated-chains/root.pem?raw';
import genMissing from '../../../fixtures/generated-chains/missing-intermediate.pem?raw';
import genWrongOrder from '../../../fixtures/generated-chains/wrong-order.pem?raw';
import genExtra from '../../../fixtures/generated-chains/extra-certificates.pem?raw';
import genSelfSigned from '../../../fixtures/generated-chains/self-signed.pem?raw';
import genExpired from '../../../fixtures/generated-chains/expired-leaf.pem?raw';
import genHostMismatch from '../../../fixtures/generated-chains/host-mismatch.pem?raw';
import genPathLen from '../../../fixtures/generated-chains/pathlen-violation.pem?raw';

export interface ChainSample {
  readonly id: string;
  readonly title: string;
  /** What it teaches and what to try. */
  readonly story: string;
  /** The pool as the server sent it, leaf first. */
  readonly served: string;
  /** Roots this sample trusts (a trust preset may replace them). */
  readonly anchors: string;
  readonly host?: string;
  readonly at: string;
  readonly purpose: Purpose;
  readonly profile: ProfileName;
}

const generated = (id: string, title: string, story: string, served: string): ChainSample => ({
  id,
  title,
  story,
  served,
  anchors: genRoot,
  host: 'db.example.com',
  at: '2026-06-01',
  purpose: 'serverAuth',
  profile: 'openssl-3',
});

export const chainSamples: readonly ChainSample[] = [
  {
    id: 'azure-cross-sign',
    title: 'Azure: one intermediate, two roots',
    story:
      "www.microsoft.com's certificate is issued by Microsoft Azure RSA TLS Issuing CA 07, which exists twice with the same key: once signed by DigiCert Global Root G2 and once by Microsoft RSA Root Certificate Authority 2017. With both roots trusted there are exactly two valid paths; a client that trusts only one of them has one path left. This is the Azure Database for PostgreSQL root migration.",
    served: [msLeaf, ca07Xsign, ca07Ms].join('\n'),
    anchors: [digicertG2, msRoot2017].join('\n'),
    host: 'www.microsoft.com',
    at: '2024-01-15',
    purpose: 'serverAuth',
    profile: 'openssl-3',
  },
  {
    id: 'azure-one-root',
    title: 'Azure: only one root trusted',
    story:
      "The same chain as 'Azure: one intermediate, two roots', checked by a client whose root file holds only DigiCert Global Root G2 (an older root.crt, before the migration to Microsoft RSA Root Certificate Authority 2017). The path through the Microsoft-signed CA 07 now stops there: its issuer, Microsoft RSA Root Certificate Authority 2017, is neither sent nor trusted; the path through the DigiCert-signed one still ends at a trusted root.",
    served: [msLeaf, ca07Xsign, ca07Ms].join('\n'),
    anchors: digicertG2,
    host: 'www.microsoft.com',
    at: '2024-01-15',
    purpose: 'serverAuth',
    profile: 'openssl-3',
  },
  {
    id: 'letsencrypt-2021',
    title: "Let's Encrypt after DST Root CA X3 expired",
    story:
      "Servers sent R3, then ISRG Root X1 cross-signed by DST Root CA X3. After 2021-09-30 the DST root is expired. OpenSSL 1.1+ looks in its trust store first and stops at the self-signed ISRG Root X1; OpenSSL 1.0.2 follows the chain as sent to the expired root and fails with 'certificate has expired'. Move the date across 2021-09-30 with the OpenSSL 1.0.2 profile. (The end certificate here is R3 itself: no site certificate is needed to show the effect.)",
    served: [r3ByX1, x1ByDst].join('\n'),
    anchors: [x1Self, dstRoot].join('\n'),
    at: '2021-10-01',
    purpose: 'any',
    profile: 'openssl-1.0.2',
  },
  generated(
    'missing-intermediate',
    'Server sends only its own certificate',
    'The server forgot its intermediate. A client that trusts only the root cannot link the leaf to it: OpenSSL says "unable to get local issuer certificate". Browsers may fetch the intermediate through AIA; libpq, Go and rustls do not.',
    genMissing,
  ),
  generated(
    'wrong-order',
    'Intermediates in the wrong order',
    'The two intermediates are sent in the wrong order. RFC 5246 asks for each certificate to certify the one before it, but real clients build the path from the pool and do not mind.',
    genWrongOrder,
  ),
  generated(
    'extra-certificates',
    'Extra certificates in the chain',
    'The server also sends an unrelated root and the trusted root itself. Extra certificates cost bytes on every handshake but do not change the verdict.',
    genExtra,
  ),
  generated(
    'self-signed',
    'Self-signed server certificate',
    'The server certificate signs itself. Unless that exact certificate is trusted, clients reject it: "self-signed certificate". This is what sslmode=require accepts without complaint and verify-ca rejects.',
    genSelfSigned,
  ),
  generated(
    'expired-leaf',
    'Expired server certificate',
    'The server certificate expired on 2025-01-01. Move the date before it and it turns valid.',
    genExpired,
  ),
  generated(
    'host-mismatch',
    'Host name mismatch',
    'The chain is fine, but the certificate is for other.example.com, not db.example.com. libpq reports this with verify-full only.',
    genHostMismatch,
  ),
  generated(
    'pathlen-violation',
    'Path length constraint violated',
    'The issuing CA may not have CAs below it (pathLenConstraint 0), yet it signed a sub CA that issued the leaf: "path length constraint exceeded".',
    genPathLen,
  ),
];

export function findSample(id: string): ChainSample | undefined {
  return chainSamples.find((s) => s.id === id);
}
