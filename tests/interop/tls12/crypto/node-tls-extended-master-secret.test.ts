/**
 * RFC 7627 extended master secret, checked against a real OpenSSL connection (no published EMS vector
 * was found). Node's tls client and server (OpenSSL 3, which negotiates extended_master_secret by
 * default) talk over a tapped in-memory pipe using TLS_RSA_WITH_AES_*_GCM (0x009C, 0x009D: SHA-256 and
 * SHA-384 PRF). From the captured bytes alone plus the server's RSA key, we decrypt the pre-master
 * (RSAES-PKCS1-v1_5), compute session_hash and the extended master secret, and compare with the
 * CLIENT_RANDOM line OpenSSL logged; then we open OpenSSL's Finished and application-data records with
 * our key block and check both verify_data values. Needs the openssl CLI (for the server certificate).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cipherSuite,
  computeKeyBlock,
  computeMasterSecret,
  computeVerifyData,
  concatBytes,
  createCryptoProvider,
  directionKeys,
  findMasterSecret,
  openRecord,
  parseKeyLog,
  toHex,
  type CryptoProvider,
  type PrivateKeyHandle as PrivateKey,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { pemToDer } from '../../../../src/lib/bytes/pem.ts';

interface Captured {
  client: Buffer[];
  server: Buffer[];
  keylog: string[];
  received: string;
}

/** Two Duplex ends; every chunk written by either side is recorded in order. */
function tappedPipe(log: { from: 'client' | 'server'; chunk: Buffer }[]): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (from: 'client' | 'server', peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, callback) {
        log.push({ from, chunk: Buffer.from(chunk) });
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
    });
  ends.push(
    make('client', () => ends[1]!),
    make('server', () => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}

async function runConnection(cert: string, key: string, ciphers: string): Promise<Captured> {
  const log: { from: 'client' | 'server'; chunk: Buffer }[] = [];
  const [clientEnd, serverEnd] = tappedPipe(log);
  const server = tls.createServer({ cert, key, maxVersion: 'TLSv1.2', ciphers });
  server.on('secureConnection', (s) => s.on('data', (d: Buffer) => s.end(`pong:${d.toString()}`)));
  server.emit('connection', serverEnd);
  const keylog: string[] = [];
  const socket = tls.connect({
    socket: clientEnd,
    maxVersion: 'TLSv1.2',
    ciphers,
    rejectUnauthorized: false,
  });
  socket.on('keylog', (line: Buffer) => keylog.push(line.toString()));
  const received = await new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('secureConnect', () => socket.write('ping'));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  socket.destroy();
  server.close();
  return {
    client: log.filter((l) => l.from === 'client').map((l) => l.chunk),
    server: log.filter((l) => l.from === 'server').map((l) => l.chunk),
    keylog,
    received,
  };
}

interface RawRecord {
  type: number;
  version: number;
  fragment: Uint8Array;
}

function records(chunks: Buffer[]): RawRecord[] {
  const bytes = Buffer.concat(chunks);
  const out: RawRecord[] = [];
  for (let pos = 0; pos < bytes.length;) {
    const length = bytes.readUInt16BE(pos + 3);
    out.push({
      type: bytes[pos]!,
      version: bytes.readUInt16BE(pos + 1),
      fragment: bytes.subarray(pos + 5, pos + 5 + length),
    });
    pos += 5 + length;
  }
  return out;
}

/** Whole handshake messages (4-byte header + body) from the plaintext handshake records before ChangeCipherSpec. */
function plaintextHandshakes(recs: RawRecord[]): { messages: Uint8Array[]; afterCcs: RawRecord[] } {
  const ccs = recs.findIndex((r) => r.type === 20);
  const stream = Buffer.concat(
    recs
      .slice(0, ccs)
      .filter((r) => r.type === 22)
      .map((r) => r.fragment),
  );
  const messages: Uint8Array[] = [];
  for (let pos = 0; pos < stream.length;) {
    const length = stream.readUIntBE(pos + 1, 3);
    messages.push(stream.subarray(pos, pos + 4 + length));
    pos += 4 + length;
  }
  return { messages, afterCcs: recs.slice(ccs + 1) };
}

/** The extension types in a ServerHello message (RFC 5246 §7.4.1.3). */
function serverHelloExtensions(message: Uint8Array): number[] {
  const b = Buffer.from(message);
  let pos = 4 + 2 + 32; // header, server_version, random
  pos += 1 + b[pos]!; // session_id
  pos += 2 + 1; // cipher_suite, compression_method
  const end = pos + 2 + b.readUInt16BE(pos);
  const types: number[] = [];
  for (pos += 2; pos < end; pos += 4 + b.readUInt16BE(pos + 2)) types.push(b.readUInt16BE(pos));
  return types;
}

describe('RFC 7627 extended master secret against OpenSSL (node:tls), TLS_RSA key exchange', () => {
  let dir: string;
  let cert: string;
  let key: string;
  let provider: CryptoProvider;
  let serverKey: PrivateKey;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-lab-ems-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    provider = createCryptoProvider();
    serverKey = await provider.importPrivateKey(pemToDer(key, 'PRIVATE KEY')[0]!);
  });

  afterAll(() => {
    if (dir) execFileSync('rm', ['-rf', dir]);
  });

  for (const [code, ciphers] of [
    [0x009c, 'AES128-GCM-SHA256'],
    [0x009d, 'AES256-GCM-SHA384'],
  ] as const) {
    const suite = cipherSuite(code)!;

    it(`${suite.name}: master secret from session_hash equals OpenSSL's, and OpenSSL's Finished and data records open`, async () => {
      const run = await runConnection(cert, key, ciphers);
      expect(run.received).toBe('pong:ping');
      const client = plaintextHandshakes(records(run.client));
      const server = plaintextHandshakes(records(run.server));
      const [clientHello, clientKeyExchange] = client.messages;
      const shdIndex = server.messages.findIndex((m) => m[0] === 14);
      const serverFirstFlight = server.messages.slice(0, shdIndex + 1); // ServerHello .. ServerHelloDone
      expect(serverFirstFlight.map((m) => m[0])).toEqual([2, 11, 14]);
      expect(clientKeyExchange![0]).toBe(16);
      expect(
        Buffer.from(
          serverFirstFlight[0]!.subarray(4 + 2 + 32 + 1 + serverFirstFlight[0]![4 + 2 + 32]!),
        ).readUInt16BE(0),
      ).toBe(code);
      expect(serverHelloExtensions(serverFirstFlight[0]!)).toContain(0x0017); // extended_master_secret negotiated

      const clientRandom = clientHello!.subarray(6, 38);
      const serverRandom = serverFirstFlight[0]!.subarray(6, 38);
      // EncryptedPreMasterSecret: opaque<0..2^16-1> (RFC 5246 §7.4.7.1)
      const encryptedPreMaster = clientKeyExchange!.subarray(4 + 2);
      const preMasterSecret = await provider.rsaDecryptPreMasterSecret(serverKey, encryptedPreMaster, 0x0303);
      // OpenSSL's client also logs "RSA <first 8 bytes of EncryptedPreMasterSecret> <pre_master_secret>".
      const rsaLine = parseKeyLog(run.keylog.join('')).find((e) => e.label === 'RSA');
      expect(rsaLine && toHex(rsaLine.identifier)).toBe(toHex(encryptedPreMaster.subarray(0, 8)));
      expect(rsaLine && toHex(rsaLine.secret)).toBe(toHex(preMasterSecret));
      const transcript = concatBytes(clientHello!, ...serverFirstFlight, clientKeyExchange!);
      const sessionHash = await provider.digest(suite.prfHash, transcript);
      const master = await computeMasterSecret(provider, {
        prfHash: suite.prfHash,
        preMasterSecret,
        clientRandom,
        serverRandom,
        sessionHash,
      });
      const logged = findMasterSecret(parseKeyLog(run.keylog.join('')), clientRandom);
      expect(logged && toHex(logged)).toBe(toHex(master.value));
      expect(master.formula).toContain('"extended master secret", session_hash');
      const classic = await computeMasterSecret(provider, {
        prfHash: suite.prfHash,
        preMasterSecret,
        clientRandom,
        serverRandom,
      });
      expect(toHex(classic.value)).not.toBe(toHex(master.value));

      const { keys } = await computeKeyBlock(provider, suite, master.value, clientRandom, serverRandom);
      // Client Finished: first record after the client's ChangeCipherSpec, sequence number 0.
      const clientFinishedRecord = client.afterCcs[0]!;
      const clientFinished = await openRecord(provider, suite, directionKeys(keys, 'client'), {
        contentType: 22,
        version: 0x0303,
        fragment: clientFinishedRecord.fragment,
        sequenceNumber: 0n,
      });
      const clientVerify = await computeVerifyData(provider, suite, master.value, 'client', sessionHash);
      expect(toHex(clientFinished.plaintext)).toBe('1400000c' + toHex(clientVerify.value));
      // Server Finished covers everything before it, including the client's Finished and any NewSessionTicket.
      const serverAfterDone = server.messages.slice(shdIndex + 1);
      const serverHash = await provider.digest(
        suite.prfHash,
        concatBytes(transcript, clientFinished.plaintext, ...serverAfterDone),
      );
      const serverFinished = await openRecord(provider, suite, directionKeys(keys, 'server'), {
        contentType: 22,
        version: 0x0303,
        fragment: server.afterCcs[0]!.fragment,
        sequenceNumber: 0n,
      });
      const serverVerify = await computeVerifyData(provider, suite, master.value, 'server', serverHash);
      expect(toHex(serverFinished.plaintext)).toBe('1400000c' + toHex(serverVerify.value));
      // Application data at sequence number 1 in each direction.
      const ping = await openRecord(provider, suite, directionKeys(keys, 'client'), {
        contentType: 23,
        version: 0x0303,
        fragment: client.afterCcs[1]!.fragment,
        sequenceNumber: 1n,
      });
      expect(new TextDecoder().decode(ping.plaintext)).toBe('ping');
      const pong = await openRecord(provider, suite, directionKeys(keys, 'server'), {
        contentType: 23,
        version: 0x0303,
        fragment: server.afterCcs[1]!.fragment,
        sequenceNumber: 1n,
      });
      expect(new TextDecoder().decode(pong.plaintext)).toBe('pong:ping');
      // What OpenSSL 3.0 puts in GCM's nonce_explicit (RFC 5288 §3 leaves it to the sender): NOT the
      // sequence number, but a per-direction counter that starts at a random value and goes up by one per
      // record. (Our sender uses seq_num; receivers must accept either, as ours does above.)
      for (const side of [client.afterCcs, server.afterCcs]) {
        const [first, second] = [side[0]!, side[1]!].map((r) =>
          BigInt('0x' + toHex(r.fragment.subarray(0, 8))),
        );
        expect(second! - first!).toBe(1n);
      }
    });
  }
});
