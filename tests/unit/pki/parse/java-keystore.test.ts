/**
 * Java keystores (JKS, JCEKS) as parseCertificates reads them, against what the JDK's own `keytool -list -v` says of
 * the same files (fixtures/keystores, made by scripts/make-keystores.sh): the aliases, the entry types and the SHA-256
 * fingerprints of every certificate.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../../src/lib/pki/parse.ts';

const DIR = 'fixtures/keystores/';
const bytes = (name: string) => new Uint8Array(readFileSync(DIR + name));

/** keytool -list -v: each entry's alias and type, and every certificate's SHA-256 fingerprint. */
function keytoolList(name: string) {
  const text = readFileSync(`${DIR}${name}.list.txt`, 'utf8');
  const entries = [...text.matchAll(/^Alias name: (.+)\n.*\nEntry type: (\w+)/gm)].map((m) => ({
    alias: m[1]!,
    type: m[2]!,
  }));
  const fingerprints = new Set(
    [...text.matchAll(/^\s+SHA256: ([0-9A-F:]+)$/gm)].map((m) => m[1]!.replaceAll(':', '').toLowerCase()),
  );
  return { entries, fingerprints };
}

describe('JKS (keytool -storetype JKS)', () => {
  it('reads every entry keytool lists: the certificates by fingerprint, private keys dropped', async () => {
    const keytool = keytoolList('keytool.jks');
    const report = await parseCertificates(bytes('keytool.jks'));
    expect(report.problems).toEqual([]);
    expect(new Set(report.certificates.map((c) => c.id))).toEqual(keytool.fingerprints);
    const aliases = report.blocks.map((b) => /"(.+)"$/.exec(b.where)?.[1]);
    expect(aliases.sort()).toEqual(keytool.entries.map((e) => e.alias).sort());
    const privateKeys = keytool.entries.filter((e) => e.type === 'PrivateKeyEntry').length;
    expect(report.discardedPrivateKeys).toBe(privateKeys);
    expect(report.blocks.filter((b) => b.kind === 'JKS private key entry').length).toBe(privateKeys);
    expect(report.blocks.filter((b) => b.kind === 'JKS trusted certificate entry').length).toBe(
      keytool.entries.filter((e) => e.type === 'trustedCertEntry').length,
    );
    // The server's private key entry carries its chain, leaf first (keytool: chain length 2).
    const server = report.blocks.find((b) => b.where.endsWith('"server"'));
    expect(server?.certificateIds.length).toBe(2);
  });

  it('a cut file gives the entries before the cut and says where and why it stopped', async () => {
    const whole = bytes('keytool.jks');
    const report = await parseCertificates(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(report.problems.length).toBe(1);
    expect(report.problems[0]!.where).toMatch(/^JKS keystore, byte \d+$/);
    expect(report.problems[0]!.message).toMatch(/^entry \d cannot be read: /);
    expect(report.certificates.length).toBeGreaterThan(0);
    expect(report.certificates.length).toBeLessThan(keytoolList('keytool.jks').fingerprints.size);
  });

  it('a chain length no file can hold ends in a problem naming it, before any certificate is read', async () => {
    const entry = [0, 0, 0, 1, 0, 1, 0x6b, ...new Uint8Array(8 + 4), 0, 0x0f, 0x42, 0x40]; // date, key length 0, chain 10^6
    const ks = Uint8Array.of(0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, ...entry, ...new Uint8Array(64));
    const report = await parseCertificates(ks);
    expect(report.problems).toEqual([
      {
        where: 'JKS keystore, byte 12',
        message: 'entry 1 cannot be read: a chain of 1000000 certificates cannot fit in the 64 bytes left',
      },
    ]);
  });

  it('a keystore with no entries says so (keytool writes one after its last entry is deleted)', async () => {
    const digest = new Uint8Array(20);
    const report = await parseCertificates(
      Uint8Array.of(0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0, ...digest),
    );
    expect(report.problems).toEqual([{ where: 'JKS keystore', message: 'the keystore holds no entries' }]);
  });

  it('an entry count no file can hold ends in a problem, not a hang or a throw', async () => {
    const header = Uint8Array.of(0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff);
    const report = await parseCertificates(header);
    expect(report.certificates).toEqual([]);
    expect(report.problems).toEqual([
      { where: 'JKS keystore, byte 12', message: expect.stringMatching(/^entry 1 cannot be read: /) },
    ]);
  });
});

describe('JCEKS (keytool -storetype JCEKS)', () => {
  it('reads every entry keytool lists, skipping the secret key (a serialized SealedObject) between them', async () => {
    const keytool = keytoolList('keytool.jceks');
    const report = await parseCertificates(bytes('keytool.jceks'));
    expect(report.problems).toEqual([]);
    expect(new Set(report.certificates.map((c) => c.id))).toEqual(keytool.fingerprints);
    expect(keytool.entries.map((e) => e.type)).toContain('SecretKeyEntry');
    // In this file the secret key is entry 2 (the JDK's hash-table order); the others keep their places.
    expect(report.blocks.map((b) => b.where)).toEqual([
      'JCEKS entry 1 "ca"',
      'JCEKS entry 3 "server"',
      'JCEKS entry 4 "other-root"',
      '1 of them',
    ]);
    expect(report.blocks.at(-1)!.kind).toBe('JCEKS secret key entries');
  });

  it('a secret key whose serialization cannot be read ends the reading there, naming it', async () => {
    const ks = bytes('keytool.jceks').slice();
    const stream = ks.findIndex(
      (b, i) => b === 0xac && ks[i + 1] === 0xed && ks[i + 2] === 0 && ks[i + 3] === 5,
    );
    ks[stream + 4] = 0x01; // no TC_OBJECT after the stream header
    const report = await parseCertificates(ks);
    expect(report.certificates.length).toBe(1);
    expect(report.problems).toEqual([
      {
        where: expect.stringMatching(/^JCEKS keystore, byte \d+$/),
        message:
          'entry 2 ("aes") is a secret key, stored as a serialized Java object that could not be read (type code 0x1 at byte ' +
          (stream + 4) +
          '); the 3 entries from it on were not read',
      },
    ]);
  });
});
