/**
 * Every TLS 1.2 suite the engine implements, as Wireshark reads it: our client and server run a connection with that
 * one suite and a message each way, the Handshake Lab's pcapng download of the run (runPcapng: the bytes as a TCP
 * conversation, the key log line in a Decryption Secrets Block) goes to the real tshark with no settings, and tshark
 * must name the suite and decrypt both messages. So the record protection of each suite (GCM, ChaCha20-Poly1305,
 * CBC with HMAC-SHA1/256/384) and each key exchange is the one Wireshark implements, not only the one OpenSSL does
 * (tests/interop/handshake-openssl.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPcapng } from '../../src/app/model/handshake/import.ts';
import { CIPHER_SUITES } from '../../src/lib/tls12/crypto/suites.ts';
import { runHandshake } from '../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../src/lib/tls12/pki-verifier.ts';
import { CipherSuite } from '../../src/lib/tls12/wire/code-points.ts';
import { tsharkField, tsharkWithNoSettings } from '../kit/programs/tshark.ts';
import { testPki, type TestPki } from '../kit/pure/pki.ts';

const tshark = tsharkWithNoSettings();
const dir = mkdtempSync(join(tmpdir(), 'tls-lab-suites-'));
let pki: TestPki;
beforeAll(async () => {
  pki = await testPki();
});

describe('tshark decrypts our pcapng of a TLS 1.2 connection in every suite the engine implements', () => {
  it.each(CIPHER_SUITES.map((s) => [CipherSuite.format(s.code), s] as const))('%s', async (name, suite) => {
    const id = suite.certificateKey === 'ec' ? pki.ecdsa : pki.rsa;
    const run = await runHandshake({
      client: {
        serverName: 'localhost',
        verifier: pkiVerifier({ anchors: [pki.ca.certDer] }),
        suites: [suite.code],
      },
      server: { certificateChain: [id.certDer], privateKey: id.keyDer, suites: [suite.code] },
      clientData: new TextEncoder().encode(`request over ${name}`),
      serverData: new TextEncoder().encode(`response over ${name}`),
    });
    expect(run.ok, run.alert?.reason).toBe(true);
    const file = join(dir, `${name}.pcapng`);
    writeFileSync(file, runPcapng(run, Date.UTC(2026, 0, 1)));
    const chosen = tsharkField(tshark, file, 'tls.handshake.type == 2', 'tls.handshake.ciphersuite');
    expect(chosen.map(Number)).toEqual([suite.code]);
    const follow = tshark(file, '-q', '-z', 'follow,tls,ascii,0');
    expect(follow).toContain(`request over ${name}`);
    expect(follow).toContain(`response over ${name}`);
  });
});
