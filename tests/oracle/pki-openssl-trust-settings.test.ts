/**
 * Trust settings in "TRUSTED CERTIFICATE" blocks (`openssl x509 -addtrust/-addreject -trustout`, the form of
 * Fedora's ca-bundle.trust.crt) against the REAL `openssl verify` (as libpq runs it: tests/kit/programs/openssl-verify.ts):
 * an intermediate trusted for serverAuth is an anchor, a root rejected for it is error 28, a root trusted only for
 * another purpose is rejected. Go and rustls read no such block: for them it is no anchor at all.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeChain } from '../../src/lib/pki/index.ts';
import { opensslCa } from '../kit/programs/openssl-ca.ts';
import { opensslProfile, opensslVerify, scratch, type VerifyCase } from '../kit/programs/openssl-verify.ts';

const work = scratch();
afterAll(() => work.dispose());
const { certificate, CA_EXT, LEAF_EXT } = opensslCa(work.dir);
const AT = new Date(Date.UTC(2025, 5, 1, 12));

certificate('root', 'ec:P-256', CA_EXT); // root.pem, which `trusted` reads
const inter = certificate('inter', 'ec:P-256', CA_EXT, 'root');
const leaf = certificate('leaf', 'ec:P-256', LEAF_EXT, 'inter');

/** NAME.pem as a TRUSTED CERTIFICATE with these trust settings (`-addtrust` / `-addreject` purposes). */
function trusted(name: string, settings: string[]): string {
  return execFileSync('openssl', ['x509', '-in', join(work.dir, `${name}.pem`), '-trustout', ...settings], {
    encoding: 'utf8',
  });
}

describe('trust settings (TRUSTED CERTIFICATE) against openssl verify', () => {
  it.each([
    [
      'an intermediate trusted for serverAuth is a trust anchor',
      () => trusted('inter', ['-addtrust', 'serverAuth']),
    ],
    [
      'an intermediate trusted for anyExtendedKeyUsage is one too',
      () => trusted('inter', ['-addtrust', 'anyExtendedKeyUsage']),
    ],
    [
      'an intermediate trusted for clientAuth only is rejected',
      () => trusted('inter', ['-addtrust', 'clientAuth']),
    ],
    ['a root rejected for serverAuth: error 28', () => trusted('root', ['-addreject', 'serverAuth'])],
    [
      'a root trusted for clientAuth only: rejected for serverAuth',
      () => trusted('root', ['-addtrust', 'clientAuth']),
    ],
    ['a root with no settings in a TRUSTED CERTIFICATE block', () => trusted('root', [])],
    [
      'a root trusted and rejected for serverAuth: the rejection wins',
      () => trusted('root', ['-addtrust', 'serverAuth', '-addreject', 'serverAuth']),
    ],
  ])('%s: the same verdict', async (_name, anchors) => {
    const c: VerifyCase = { leaf, served: [inter], anchors: [anchors()], at: AT, authLevel: 2 };
    const real = opensslVerify(work.dir, c);
    expect(await opensslProfile(c)).toEqual(real);
  });

  it('a trusted intermediate whose own EKU does not allow serverAuth: its trust settings decide, not its EKU', async () => {
    certificate('ekuinter', 'ec:P-256', `${CA_EXT}\nextendedKeyUsage=clientAuth`, 'root');
    const ekuLeaf = certificate('ekuleaf', 'ec:P-256', LEAF_EXT, 'ekuinter');
    for (const settings of [['-addtrust', 'serverAuth'], ['-addtrust', 'clientAuth'], []]) {
      const c: VerifyCase = {
        leaf: ekuLeaf,
        served: [],
        anchors: [trusted('ekuinter', settings)],
        at: AT,
        authLevel: 2,
      };
      const real = opensslVerify(work.dir, c);
      expect(await opensslProfile(c), settings.join(' ')).toEqual(real);
    }
  });

  it('Go and rustls read no TRUSTED CERTIFICATE block: the same root is no anchor for them', async () => {
    const a = await analyzeChain({
      certificates: leaf + inter,
      trustAnchors: trusted('root', ['-addtrust', 'serverAuth']),
      time: AT,
      profile: 'openssl-3',
      compareProfiles: true,
    });
    expect(a.verdict.valid).toBe(true);
    const byProfile = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p]));
    expect(byProfile.go?.error?.code).toBe('x509.UnknownAuthorityError');
    expect(byProfile.webpki?.error?.code).toBe('UnknownIssuer');
  });
});
