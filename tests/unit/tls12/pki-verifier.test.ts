import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pkiVerifier } from '../../../src/lib/tls12/pki-verifier';
import { pemToDer } from '../../../src/lib/tls12/handshake/index';

const demo = (name: string) => pemToDer(readFileSync(`fixtures/demo-pki/${name}`, 'utf8'), 'CERTIFICATE');
const verify = pkiVerifier({ anchors: demo('root.crt') });
const now = Date.UTC(2026, 0, 1);

describe('the certificate-engine verifier for the TLS client', () => {
  it('accepts the demo server certificate for its name', async () => {
    expect(await verify({ chain: demo('server-rsa.crt'), serverName: 'db.example.com', now })).toMatchObject({
      ok: true,
    });
  });

  it('answers an unknown root with unknown_ca, as OpenSSL does for error 20', async () => {
    const result = await verify({ chain: demo('server-untrusted.crt'), serverName: 'db.example.com', now });
    expect(result).toMatchObject({ ok: false, alert: 'unknown_ca' });
    expect(!result.ok && result.reason).toMatch(/unable to get local issuer certificate/);
  });

  it('answers an expired certificate with certificate_expired', async () => {
    const result = await verify({ chain: demo('server-expired.crt'), serverName: 'db.example.com', now });
    expect(result).toMatchObject({ ok: false, alert: 'certificate_expired' });
  });

  it('answers a name mismatch with bad_certificate (X509_V_ERR_HOSTNAME_MISMATCH)', async () => {
    const result = await verify({ chain: demo('server-other-host.crt'), serverName: 'db.example.com', now });
    expect(result).toMatchObject({ ok: false, alert: 'bad_certificate' });
  });

  it('skips the name check when asked, like a client that verifies the chain only (verify-ca)', async () => {
    const chainOnly = pkiVerifier({ anchors: demo('root.crt'), checkHostName: false });
    expect(
      await chainOnly({ chain: demo('server-other-host.crt'), serverName: 'db.example.com', now }),
    ).toMatchObject({ ok: true });
  });

  it('decodes its anchors once and gives the same verdicts on every later handshake', async () => {
    const once = pkiVerifier({ anchors: demo('root.crt') });
    for (let i = 0; i < 2; i++) {
      expect(await once({ chain: demo('server-rsa.crt'), serverName: 'db.example.com', now })).toMatchObject({
        ok: true,
      });
      expect(
        await once({ chain: demo('server-untrusted.crt'), serverName: 'db.example.com', now }),
      ).toMatchObject({
        ok: false,
        alert: 'unknown_ca',
      });
    }
  });

  it('still trusts the good anchor when another one does not decode (those stay DER for every analysis)', async () => {
    const broken = Uint8Array.of(0x30, 0x03, 0x02, 0x01);
    const mixed = pkiVerifier({ anchors: [broken, ...demo('root.crt')] });
    for (let i = 0; i < 2; i++)
      expect(await mixed({ chain: demo('server-rsa.crt'), serverName: 'db.example.com', now })).toMatchObject(
        {
          ok: true,
        },
      );
  });
});
