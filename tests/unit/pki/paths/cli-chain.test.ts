/** `tls-lab chain` (src/cli/chain.ts): exit status, text and JSON output on the Azure fixture. */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../src/cli/chain.ts';

const AZ = fileURLToPath(new URL('../../../../fixtures/public-ca/azure/', import.meta.url));
const LEAF = `${AZ}leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const CA07 = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`;
const ROOT = `${AZ}root_microsoft-rsa-root-ca-2017.pem`;

function capture() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  return { out: () => out, err: () => err };
}

afterEach(() => vi.restoreAllMocks());

describe('tls-lab chain', () => {
  it('exits 0 and lists the path and every profile for a valid chain', async () => {
    const io = capture();
    const code = await main([
      'chain',
      LEAF,
      CA07,
      '--trust',
      ROOT,
      '--at',
      '2024-01-15',
      '--host',
      'www.microsoft.com',
    ]);
    expect(code).toBe(0);
    expect(io.out()).toContain(
      '1. [valid] www.microsoft.com -> Microsoft Azure RSA TLS Issuing CA 07 -> Microsoft RSA Root Certificate Authority 2017',
    );
    expect(io.out()).toMatch(/\* rfc5280 +OK/);
    // Every certificate, sent and anchor, with its issuer, validity and fingerprints.
    expect(io.out()).toContain('certificates sent (2), then trust anchors in the graph (1):');
    expect(io.out()).toMatch(/#1 +CN=Microsoft Azure RSA TLS Issuing CA 07/);
    expect(io.out()).toMatch(/anchor CN=Microsoft RSA Root Certificate Authority 2017/);
    expect(io.out()).toContain(
      'valid 2023-09-14T17:24:20.000Z .. 2024-09-08T17:24:20.000Z  sha256 f34825e71ce7fea1',
    );
  });

  it('exits 1 with the chosen profile’s error text when the chain fails', async () => {
    const io = capture();
    const code = await main([LEAF, CA07, '--trust', ROOT, '--at', '2025-01-15', '--profile', 'openssl-3']);
    expect(code).toBe(1);
    expect(io.out()).toMatch(/\* openssl-3 +FAIL 10 certificate has expired/);
  });

  it('prints JSON with hex bytes and no DER trees', async () => {
    const io = capture();
    expect(await main([LEAF, CA07, '--trust', ROOT, '--at', '2024-01-15', '--json'])).toBe(0);
    const j = JSON.parse(io.out());
    expect(j.paths).toHaveLength(1);
    expect(j.leaf.der).toMatch(/^30/);
    expect(j.leaf.asn1).toBeUndefined();
  });

  it('exits 2 on usage errors', async () => {
    const io = capture();
    expect(await main(['--at', 'yesterday', LEAF])).toBe(2);
    expect(io.err()).toContain('--at yesterday is not an ISO 8601 date');
    expect(await main([])).toBe(2);
  });
});
