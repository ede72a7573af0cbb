/**
 * Helper of bench/chain.ts (not a benchmark itself: the runner skips files starting with "_"): runs PKI.js's
 * CertificateChainValidationEngine on the mesh written by chain.ts, in its own process so that it can be
 * killed when it does not finish. Prints {"ms": …, "result": …}.
 */
import { readFileSync } from 'node:fs';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';

const input = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as {
  roots: string[];
  certs: string[];
  at: string;
};
const cert = (b64: string) =>
  new pkijs.Certificate({ schema: asn1js.fromBER(new Uint8Array(Buffer.from(b64, 'base64')).buffer).result });
const t = performance.now();
const engine = new pkijs.CertificateChainValidationEngine({
  trustedCerts: input.roots.map(cert),
  certs: input.certs.map(cert),
  checkDate: new Date(input.at),
});
const r = await engine.verify();
console.log(JSON.stringify({ ms: performance.now() - t, result: r.result }));
