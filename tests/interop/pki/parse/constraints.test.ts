/**
 * Malformed name constraints against the real `openssl verify` (libpq's settings: -auth_level 2, no -x509_strict):
 * the openssl-3 profile must give the same verdict, error number, text and depth on every case of
 * constraint-cases.ts (empty or NULL subtrees, DNS constraints with a leading period, name constraints in an end
 * entity). The verdicts are also pinned so a change in either side shows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CONSTRAINT_CASES, constraintChain } from '../../../unit/pki/paths/constraint-cases.ts';
import { T0 } from '../../../unit/pki/paths/raw-certs.ts';
import { opensslProfile, opensslVerify, scratch } from '../../../kit/programs/openssl-verify.ts';

const work = scratch();
afterAll(() => work.dispose());

/**
 * What the real OpenSSL 3.0 CLI answers (ok, or the error number): empty subtrees are accepted; a NULL where a
 * subtree belongs makes the CA EXFLAG_INVALID (no issuer: 20); a leading period means "subdomains only" (nc_dns
 * compares the tail when the constraint starts with '.'); a leaf's own name constraints are never applied
 * (check_name_constraints applies each CA's constraints to the certificates below it).
 */
const REAL: Record<string, string> = {
  'empty nameConstraints (no subtrees at all)': 'ok',
  'empty permittedSubtrees': 'ok',
  'empty excludedSubtrees': 'ok',
  'a NULL in permittedSubtrees': '20',
  'nameConstraints that is a NULL': '20',
  'permitted ".example.com" (leading period)': 'ok',
  'permitted ".leaf.example.com" (leading period, the name itself)': '47',
  'excluded ".example.com" (leading period)': '48',
  'name constraints in the end entity excluding its own name': 'ok',
};

describe('malformed name constraints: openssl-3 profile vs openssl verify', () => {
  for (const c of CONSTRAINT_CASES) {
    it(c.name, async () => {
      const chain = await constraintChain(c);
      const verifyCase = {
        leaf: chain.leaf,
        served: [chain.inter],
        anchors: [chain.root],
        at: T0,
        host: 'leaf.example.com',
        authLevel: 2,
      };
      const real = opensslVerify(work.dir, verifyCase);
      expect(await opensslProfile(verifyCase)).toEqual(real);
      expect(real.valid ? 'ok' : String(real.number)).toBe(REAL[c.name]);
    });
  }
});
