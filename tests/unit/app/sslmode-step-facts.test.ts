/**
 * A step's structured facts (`protocol`, `verifyError`) are what the summary and the Handshake Lab link read
 * instead of its sentence, so the two must say the same thing: over the matrix (every sslmode by every driver) for
 * servers that accept TLS 1.2 or 1.3 only, good, expired, self-signed and wrong-CA chains, and client
 * certificates the server rejects, a fact appears in its step's sentence, and a completed TLS step, a failed chain
 * check or a rejected client certificate whose sentence names a version or an X509_V_ERR code carries it as a fact.
 */
import { describe, expect, it } from 'vitest';
import { matrixCells } from '../../../src/app/model/sslmode/matrix.ts';
import { sslmodeControls, type SslmodeControls } from '../../../src/app/model/sslmode/scenario.ts';

const SERVERS: Partial<SslmodeControls>[] = [
  { root: 'root-a' },
  { root: 'root-a', smin: 'TLSv1.3' },
  { root: 'root-b' },
  { root: 'root-a', cert: 'expired' },
  { root: 'root-a', cert: 'self-signed' },
  { root: 'none' },
  // client certificates the server rejects: from a CA it does not trust, expired
  { root: 'root-a', ccert: 'untrusted', sca: 'client-ca' },
  { root: 'root-a', ccert: 'expired', sca: 'client-ca' },
];

describe('sslmode steps: facts and sentences agree', () => {
  it('over the matrix for six servers', async () => {
    let withProtocol = 0;
    let withVerifyError = 0;
    let clientCertRejections = 0;
    for (const server of SERVERS) {
      for (const { outcome, driver, sslmode } of await matrixCells(sslmodeControls(server))) {
        for (const step of outcome.steps) {
          const where = `${driver} sslmode=${sslmode} ${JSON.stringify(server)}: ${step.kind} ${step.status} "${step.detail}"`;
          const named = step.detail.match(/TLSv1(?:\.[0-3])?/)?.[0];
          const code = step.detail.match(/\((X509_V_ERR_\w+)\)/)?.[1];
          if (step.protocol !== undefined) {
            withProtocol++;
            expect(named, where).toBe(step.protocol);
          }
          if (step.verifyError !== undefined) {
            withVerifyError++;
            expect(code, where).toBe(step.verifyError);
          }
          if (
            (step.kind === 'tls' && step.status === 'ok') ||
            (step.kind === 'chain' && step.status === 'fail')
          ) {
            expect(step.protocol, where).toBe(named);
            if (step.kind === 'chain') expect(step.verifyError, where).toBe(code);
          }
          if (step.kind === 'client-cert' && step.status === 'fail' && code !== undefined) {
            clientCertRejections++;
            expect(step.verifyError, where).toBe(code);
          }
        }
      }
    }
    expect(withProtocol).toBeGreaterThan(50);
    expect(withVerifyError).toBeGreaterThan(2);
    expect(clientCertRejections).toBeGreaterThan(2);
  });
});
