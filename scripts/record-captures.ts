/**
 * Records the real captures in fixtures/captures/ (see its README): `tls-lab handshake --connect ... --json`
 * against a throw-away `openssl s_server` and a throw-away PostgreSQL 15, as the interop tests start them.
 *
 *   npx tsx scripts/record-captures.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testPki } from '../tests/kit/pure/pki.ts';
import { startPostgres } from '../tests/kit/programs/postgres-cli.ts';
import { startSServer, tempFiles } from '../tests/kit/programs/openssl-cli.ts';
import { runCli } from '../tests/kit/programs/run-cli.ts';
import { postgresCaptureArgs, sServerCaptureArgs } from '../tests/kit/pure/captures.ts';

const DIR = fileURLToPath(new URL('../fixtures/captures/', import.meta.url));
const pki = await testPki();

async function record(file: string, args: string[], exit: number): Promise<void> {
  const r = await runCli(args);
  if (r.code !== exit) throw new Error(`${file}: exit ${r.code}, expected ${exit}: ${r.stderr}`);
  writeFileSync(`${DIR}${file}`, r.stdout);
  console.log(`${file}: tls-lab ${args.join(' ')} (exit ${r.code})`);
}

const rsa = await startSServer(pki.rsa.certPem, pki.rsa.keyPem);
const ecdsa = await startSServer(pki.ecdsa.certPem, pki.ecdsa.keyPem);
const pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem);
const ca = tempFiles({ 'other-ca.pem': pki.untrustedCa.certPem })['other-ca.pem']!;
try {
  await record('openssl-s-server-rsa.json', sServerCaptureArgs(rsa.port), 0);
  await record('openssl-s-server-ecdsa.json', sServerCaptureArgs(ecdsa.port), 0);
  await record(
    'openssl-s-server-unknown-ca.json',
    sServerCaptureArgs(rsa.port, ['--servername', 'localhost', '--ca', ca]),
    2,
  );
  await record('postgres15-starttls.json', postgresCaptureArgs(pg.port), 0);
} finally {
  await rsa.stop();
  await ecdsa.stop();
  pg.stop();
}
