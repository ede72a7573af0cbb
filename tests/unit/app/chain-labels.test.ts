/**
 * Labels that tell certificates of the same name apart (src/app/lib/chain-labels.ts): real certificates from
 * fixtures/public-ca, and small hand-made facts for the cases the fixtures do not have.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../src/lib/pki/index';
import { distinctLabels, labelFacts, labelText, type LabelFacts } from '../../../src/app/lib/chain-labels';

const A = 'fixtures/public-ca/azure';
const L = 'fixtures/public-ca/letsencrypt';
async function facts(...files: string[]): Promise<LabelFacts[]> {
  const pem = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  return (await parseCertificates(pem)).certificates.map(labelFacts);
}

describe('distinctLabels', () => {
  it('the two Azure CA 07 faces: told apart by their issuers; a unique name stays bare', async () => {
    const certs = await facts(
      `${A}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`,
      `${A}/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`,
      `${A}/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`,
    );
    const labels = distinctLabels(certs);
    expect(certs.map((c) => labelText(labels.get(c.id)))).toEqual([
      'www.microsoft.com',
      'Microsoft Azure RSA TLS Issuing CA 07 (issued by DigiCert Global Root G2)',
      'Microsoft Azure RSA TLS Issuing CA 07 (issued by Microsoft RSA Root Certificate Authority 2017)',
    ]);
  });

  it('ISRG Root X1 self-signed and cross-signed by DST Root CA X3', async () => {
    const certs = await facts(
      `${L}/root_isrg-root-x1_selfsigned.pem`,
      `${L}/int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem`,
    );
    const labels = distinctLabels(certs);
    expect(certs.map((c) => labels.get(c.id)?.detail)).toEqual(['self-signed', 'issued by DST Root CA X3']);
  });

  const fact = (id: string, issuerName: string, notBefore: string, notAfter: string): LabelFacts => ({
    id,
    name: 'Example CA',
    issuerName,
    selfIssued: false,
    notBefore,
    notAfter,
  });

  it('same name and issuer: the dates tell them apart, and only those that need them get them', () => {
    const labels = distinctLabels([
      fact('aa11', 'Root A', '2020-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
      fact('bb22', 'Root A', '2024-06-01T00:00:00Z', '2029-06-01T00:00:00Z'),
      fact('cc33', 'Root B', '2024-06-01T00:00:00Z', '2029-06-01T00:00:00Z'),
    ]);
    expect([...labels.values()].map((l) => l.detail)).toEqual([
      'issued by Root A, valid 2020-01-01 to 2025-01-01',
      'issued by Root A, valid 2024-06-01 to 2029-06-01',
      'issued by Root B',
    ]);
  });

  it('same name, issuer and dates (a re-issue): the fingerprint; one certificate listed twice is one label', () => {
    const twin = fact('dd44ee55ff66', 'Root A', '2024-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    const other = fact('0123456789ab', 'Root A', '2024-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    const labels = distinctLabels([twin, twin, other]);
    expect(labels.size).toBe(2);
    expect(labels.get(twin.id)?.detail).toBe('valid 2024-01-01 to 2026-01-01, SHA-256 dd44ee55…');
    expect(labelText(labels.get(other.id))).toBe(
      'Example CA (valid 2024-01-01 to 2026-01-01, SHA-256 01234567…)',
    );
    expect(distinctLabels([twin]).get(twin.id)).toEqual({ name: 'Example CA', detail: '' });
  });
});
