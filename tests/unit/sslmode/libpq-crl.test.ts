/**
 * libpq's CRLs, as psql 15.18 (libpq 15, OpenSSL 3.0) showed against a real server (tests/oracle/sslmode-libpq.test.ts
 * block L runs the same cases): with a root FILE loaded, sslcrl / sslcrldir (or ~/.postgresql/root.crl) are loaded
 * with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL, so every certificate of the chain needs a current CRL from
 * its issuer; a CRL file that is missing (or holds nothing OpenSSL reads) is ignored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { ConnectionOutcome, Scenario } from '../../../src/lib/sslmode/types.ts';
import { makeOraclePki, type OraclePki } from '../../kit/pure/postgres-pki.ts';

let pki: OraclePki;
let crl: Record<string, string>;
const AT = 'connection to server at "127.0.0.1", port 5432 failed: ';
const VERIFY_FAILED = `${AT}SSL error: certificate verify failed`;

beforeAll(async () => {
  pki = await makeOraclePki();
  const leaf = pki.servers.good.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/)[0]!;
  const clean = (await pki.crl('intermediate')) + (await pki.crl('rootA'));
  const revokedLeaf = (await pki.crl('intermediate', { revoke: [leaf] })) + (await pki.crl('rootA'));
  crl = {
    clean,
    revokedLeaf,
    interOnly: await pki.crl('intermediate'),
    expired: (await pki.crl('intermediate', { expired: true })) + (await pki.crl('rootA')),
    revokedInter:
      (await pki.crl('intermediate')) + (await pki.crl('rootA', { revoke: [pki.intermediateFromA] })),
    badLabel: revokedLeaf.replace(/X509 CRL/g, 'CRL'),
  };
});

async function connect(
  sslmode: string,
  extra: string,
  files: Record<string, string>,
  version = '15',
): Promise<ConnectionOutcome & { verifyError?: string }> {
  const s: Scenario = {
    client: {
      driver: 'libpq',
      version,
      conninfo: `host=db.example.test hostaddr=127.0.0.1 sslmode=${sslmode}${extra}`,
      home: '/home/postgres',
      files,
    },
    server: { ssl: true, certificateChain: pki.servers.good.chainPem, hba: ['host all all 0.0.0.0/0 trust'] },
  };
  const out = await explainConnection(s);
  const step = out.steps.find((x) => x.verifyError !== undefined);
  return { ...out, ...(step?.verifyError ? { verifyError: step.verifyError } : {}) };
}

const withRoot = (crlFiles: Record<string, string>): Record<string, string> => ({
  '/c/ca1.crt': pki.rootA,
  ...crlFiles,
});

describe('libpq checks CRLs once a root file is loaded', () => {
  it('a CRL listing the server certificate: certificate verify failed (X509_V_ERR_CERT_REVOKED)', async () => {
    const out = await connect(
      'verify-full',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.revokedLeaf! }),
    );
    expect(out.connected).toBe(false);
    expect(out.error).toBe(VERIFY_FAILED);
    expect(out.verifyError).toBe('X509_V_ERR_CERT_REVOKED');
  });

  it('sslmode=prefer then connects without encryption', async () => {
    const out = await connect(
      'prefer',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.revokedLeaf! }),
    );
    expect([out.connected, out.encrypted]).toEqual([true, false]);
  });

  it('~/.postgresql/root.crl is the default, next to root.crt or an sslrootcert file', async () => {
    for (const [extra, files] of [
      ['', { '~/.postgresql/root.crt': pki.rootA, '~/.postgresql/root.crl': crl.revokedLeaf! }],
      [' sslrootcert=/c/ca1.crt', withRoot({ '/home/postgres/.postgresql/root.crl': crl.revokedLeaf! })],
    ] as const) {
      const out = await connect('verify-full', extra, { ...files });
      expect(out.error, extra).toBe(VERIFY_FAILED);
    }
  });

  it('CRLs from both issuers that revoke nothing: connected', async () => {
    const out = await connect(
      'verify-full',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.clean! }),
    );
    expect([out.connected, out.encrypted]).toEqual([true, true]);
  });

  it("CRL_CHECK_ALL: the intermediate needs Root A's CRL too (unable to get certificate CRL)", async () => {
    const out = await connect(
      'verify-full',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.interOnly! }),
    );
    expect(out.error).toBe(VERIFY_FAILED);
    expect(out.verifyError).toBe('X509_V_ERR_UNABLE_TO_GET_CRL');
  });

  it('an expired CRL, a revoked intermediate', async () => {
    const expired = await connect(
      'require',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.expired! }),
    );
    expect(expired.verifyError).toBe('X509_V_ERR_CRL_HAS_EXPIRED');
    const inter = await connect(
      'require',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.revokedInter! }),
    );
    expect(inter.verifyError).toBe('X509_V_ERR_CERT_REVOKED');
    expect(inter.error).toBe(VERIFY_FAILED);
  });

  it('a missing CRL file, or one OpenSSL reads nothing from ("BEGIN CRL"), is ignored', async () => {
    const missing = await connect('verify-full', ' sslrootcert=/c/ca1.crt sslcrl=/c/none.crl', withRoot({}));
    expect(missing.connected).toBe(true);
    const label = await connect(
      'verify-full',
      ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl',
      withRoot({ '/c/x.crl': crl.badLabel! }),
    );
    expect(label.connected).toBe(true);
  });

  it('no root file: sslcrl is not loaded (sslmode=require connects)', async () => {
    const out = await connect('require', ' sslcrl=/c/x.crl', { '/c/x.crl': crl.revokedLeaf! });
    expect([out.connected, out.encrypted]).toEqual([true, true]);
  });

  it('sslcrldir: hashed CRL files; an empty directory turns the checks on', async () => {
    const empty = await connect('verify-full', ' sslrootcert=/c/ca1.crt sslcrldir=/c/crls', withRoot({}));
    expect(empty.error).toBe(VERIFY_FAILED);
    const [inter, root] = crl.clean!.split(/(?<=-----END X509 CRL-----\n)/);
    const full = await connect(
      'verify-full',
      ' sslrootcert=/c/ca1.crt sslcrldir=/c/crls',
      withRoot({ '/c/crls/0a1b2c3d.r0': inter!, '/c/crls/4e5f6a7b.r0': root! }),
    );
    expect(full.connected).toBe(true);
  });

  it('certificates in the sslcrl file join the trust store', async () => {
    const out = await connect('verify-full', ' sslcrl=/c/x.crl', {
      '~/.postgresql/root.crt': pki.rootB,
      '/c/x.crl': pki.rootA + crl.clean!,
    });
    expect(out.connected).toBe(true);
  });

  it('libpq 18 (18.6 with OpenSSL 3.5.8, run by hand through scripts/libpq18/psql-shim.py) prints the same', async () => {
    const extra = ' sslrootcert=/c/ca1.crt sslcrl=/c/x.crl';
    const out = await connect('verify-full', extra, withRoot({ '/c/x.crl': crl.revokedLeaf! }), '18');
    expect(out.error).toBe(VERIFY_FAILED);
    const prefer = await connect('prefer', extra, withRoot({ '/c/x.crl': crl.interOnly! }), '18');
    expect([prefer.connected, prefer.encrypted]).toEqual([true, false]);
  });
});
