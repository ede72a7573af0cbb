/**
 * Issue 13, "too strict a parser": each odd certificate of defect-cases.ts is loaded by the real OpenSSL
 * (`openssl x509`), parsed here with its defect listed (kind, place, byte offset), and the openssl-3 profile gives
 * the verdict of the real `openssl verify` with libpq's settings (same pass/fail, error number, text and depth):
 * an empty RDN and a UTF-8 dNSName are accepted; a negative pathLen or an extension OpenSSL decodes that is broken
 * DER leaves no issuer (error 20); a UTCTime without seconds or fractional seconds is error 13/14.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../../src/lib/pki/parse.ts';
import { chainFor, DEFECT_CASES, T0 } from '../../../unit/pki/paths/defect-cases.ts';
import { chainOf } from '../../../unit/pki/paths/raw-certs.ts';
import { opensslProfile, opensslVerify, scratch } from '../../../kit/programs/openssl-verify.ts';
import { openssl } from './helpers.ts';

const work = scratch();
afterAll(() => work.dispose());

describe('certificates OpenSSL loads despite a defect', () => {
  for (const c of DEFECT_CASES) {
    it(`${c.name}: parsed with the defect listed, openssl-3 agrees with openssl verify`, async () => {
      const chain = await chainFor(c);
      const pem = chain[c.on];
      // The real OpenSSL loads it (throws otherwise).
      expect(openssl(['x509', '-noout', '-subject'], pem).toString()).toMatch(/subject=/);
      const report = await parseCertificates(pem);
      expect(report.problems).toEqual([]);
      const view = report.certificates[0];
      const defect = view?.defects.find((d) => d.kind === c.kind);
      expect(defect, JSON.stringify(view?.defects)).toBeDefined();
      if (c.extension) expect(defect?.extension).toBe(c.extension);
      expect(defect?.offset).toBeGreaterThan(0);
      expect(defect?.offset).toBeLessThan(view?.der.length ?? 0);

      const verifyCase = {
        leaf: chain.leaf,
        served: [chain.inter],
        anchors: [chain.root],
        at: T0,
        authLevel: 2,
      };
      const real = opensslVerify(work.dir, verifyCase);
      expect(await opensslProfile(verifyCase)).toEqual(real);
    });
  }

  it('validity edges at whole seconds: openssl-3 agrees with openssl verify at notBefore and notAfter', async () => {
    const chain = await chainOf();
    const at = (ms: number) => ({
      leaf: chain.leaf,
      served: [chain.inter],
      anchors: [chain.root],
      at: new Date(ms),
    });
    // chainOf: the leaf is valid from T0 - 30 days to T0 + 300 days (whole seconds).
    const edges = [-30, 300].flatMap((days) => {
      const ms = T0.getTime() + days * 86_400_000;
      return [ms - 1000, ms, ms + 1000];
    });
    const outcomes: boolean[] = [];
    for (const ms of edges) {
      const real = opensslVerify(work.dir, at(ms));
      expect(await opensslProfile(at(ms)), new Date(ms).toISOString()).toEqual(real);
      outcomes.push(real.valid);
    }
    // Not yet valid, valid from the notBefore second; valid, expired AT the notAfter second.
    expect(outcomes).toEqual([false, true, true, true, false, false]);
  });

  it('the cases cover both outcomes of the real CLI', async () => {
    const verdicts = new Set<string>();
    for (const c of DEFECT_CASES) {
      const chain = await chainFor(c);
      const r = opensslVerify(work.dir, {
        leaf: chain.leaf,
        served: [chain.inter],
        anchors: [chain.root],
        at: T0,
      });
      verdicts.add(r.valid ? 'ok' : String(r.number));
    }
    expect([...verdicts].sort()).toEqual(['13', '14', '20', 'ok']);
  });
});
