/**
 * `tls-lab chain` on files that hold no certificate, or more than certificates: the verdict is the Chain Lab's for
 * the same files (runChainSession, what the lab's worker runs), and what the CLI says about each file is true.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { memoryIo } from '../../../src/cli/io.ts';
import { runChainSession, type ChainSessionInput } from '../../../src/app/workers/chain-session.ts';
import { scanPem } from '../../../src/lib/bytes/pem.ts';
import { encodeBase64 } from '../../../src/lib/bytes/base64.ts';

const AZ = fileURLToPath(new URL('../../../fixtures/public-ca/azure/', import.meta.url));
const LEAF = `${AZ}leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const CA07_MS = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`;
const MS_ROOT = `${AZ}root_microsoft-rsa-root-ca-2017.pem`;
const AT = '2024-01-15';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-chain-files-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The leaf's PEM block with its DER cut to 200 bytes: a PEM CERTIFICATE block that holds no certificate. */
function truncatedLeaf(): string {
  const [block] = scanPem(readFileSync(LEAF, 'utf8')).blocks;
  if (!block?.result.ok) throw new Error('the leaf fixture did not scan');
  const b64 = encodeBase64(block.result.der.subarray(0, 200)).replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

async function chain(args: string[]) {
  const io = memoryIo();
  const code = await main(['chain', ...args], io);
  return { code, out: io.stdout(), err: io.stderr(), lines: io.stdout().trimEnd().split('\n') };
}

/** The Chain Lab's verdict on the same files: the chain files as the server's, the --trust files as the store. */
async function labVerdict(chainFiles: string[], trustFiles: string[]) {
  const inputs: ChainSessionInput[] = [
    ...chainFiles.map((f) => ({ name: f, content: new Uint8Array(readFileSync(f)) })),
    ...trustFiles.map((f) => ({ name: f, content: new Uint8Array(readFileSync(f)), role: 'trust' as const })),
  ];
  const web = await runChainSession({
    inputs,
    sampleServed: '',
    sampleAnchors: '',
    trust: 'loaded', // what the lab picks when a trust file is loaded
    ticked: [],
    time: new Date(`${AT}T12:00:00Z`),
    purpose: 'serverAuth',
    profile: 'openssl-3',
  });
  return web.analysis!.verdict;
}

describe('a file that holds no certificate', () => {
  it('as the first chain file: the verdict names it, as the Chain Lab’s does (was: exit 2, "holds no certificate")', async () => {
    const broken = file('truncated-leaf.pem', truncatedLeaf());
    const r = await chain([broken, CA07_MS, '--trust', MS_ROOT, '--at', AT, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const cli = JSON.parse(r.out);
    const web = await labVerdict([broken, CA07_MS], [MS_ROOT]);
    expect(web.valid).toBe(false);
    expect(web.error?.code).toBe('unparseable-leaf');
    expect(cli.verdict.valid).toBe(false);
    expect(cli.verdict.error).toEqual(web.error);
    const text = await chain([broken, CA07_MS, '--trust', MS_ROOT, '--at', AT]);
    expect(text.code).toBe(1);
    expect(text.lines[0]).toMatch(/^NOT VALID for openssl-3: /);
    expect(text.out).toContain(`${broken}: `);
    expect(text.out).toMatch(/could not be parsed: byte 0: DER length \d+ runs past the end of the input/);
  });

  it('as a later chain file or a trust file: the verdict on the rest, with the file’s problem listed', async () => {
    const broken = file('truncated-2.pem', truncatedLeaf());
    for (const [chainFiles, trustFiles] of [
      [[LEAF, broken, CA07_MS], [MS_ROOT]],
      [
        [LEAF, CA07_MS],
        [broken, MS_ROOT],
      ],
      [[LEAF, CA07_MS], [broken]],
    ] as const) {
      const args = [...chainFiles, ...trustFiles.flatMap((t) => ['--trust', t]), '--at', AT];
      const r = await chain([...args, '--json']);
      expect(r.err, args.join(' ')).toBe('');
      const cli = JSON.parse(r.out);
      const web = await labVerdict([...chainFiles], [...trustFiles]);
      expect([cli.verdict.valid, cli.verdict.error?.code], args.join(' ')).toEqual([
        web.valid,
        web.error?.code,
      ]);
      expect(r.code).toBe(web.valid ? 0 : 1);
      expect(cli.problems.map((p: { where: string }) => p.where)).toContainEqual(
        expect.stringMatching(new RegExp(`^${broken.replace(/[.\\]/g, '\\$&')}: block 1 \\(PEM CERTIFICATE`)),
      );
    }
  });

  it('alone: no verdict (the Chain Lab has none either), exit 2 naming the file and why', async () => {
    const broken = file('truncated-alone.pem', truncatedLeaf());
    const r = await chain([broken, '--trust', MS_ROOT, '--at', AT]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /^tls-lab chain: .*truncated-alone\.pem holds no certificate: block 1 \(PEM CERTIFICATE, lines 1-\d+\): byte 0: DER length/,
    );
  });

  it('a missing path or a directory is still a clear error, exit 2', async () => {
    for (const [args, message] of [
      [[LEAF, join(dir, 'nope.pem')], /cannot read certificate file .*nope\.pem: no such file/],
      [[LEAF, '--trust', dir], /cannot read trust anchor file .*: it is a directory/],
    ] as const) {
      const r = await chain([...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});

describe('a private key among the files', () => {
  const KEY_PEM = readFileSync(
    fileURLToPath(new URL('../../../fixtures/pkcs12/leaf.key', import.meta.url)),
    'utf8',
  );
  /** The key's base64 lines: none of them may appear in anything the CLI prints. */
  const keyLines = KEY_PEM.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  const NOTICE = 'A private key was found and discarded: it is not kept, shown or analysed.';
  const expectNoKey = (text: string) => {
    for (const line of keyLines) expect(text).not.toContain(line);
  };

  it('a file of CRLs only: says so, not that the file is empty', async () => {
    const crl = fileURLToPath(
      new URL('../../../fixtures/pkits/crls/pathLenConstraint6subsubCA11CRL.crl', import.meta.url),
    );
    const r = await chain([crl]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      `tls-lab chain: ${crl} holds no certificate, only 1 CRL (revocation lists are read, not used in the verdict)`,
    );
  });

  it('alone: says a key was found and discarded, not that the file is empty (was: "it is empty")', async () => {
    const key = file('key.pem', KEY_PEM);
    const r = await chain([key]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(`tls-lab chain: ${key} holds no certificate. ${NOTICE}`);
    expectNoKey(r.err);
  });

  it('with a certificate, in a chain file or a trust file: the verdict plus the notice, in text and in --json', async () => {
    const leafAndKey = file('leaf-and-key.pem', `${readFileSync(LEAF, 'utf8')}${KEY_PEM}`);
    const rootAndKeys = file('root-and-keys.pem', `${KEY_PEM}${readFileSync(MS_ROOT, 'utf8')}${KEY_PEM}`);
    const args = [leafAndKey, CA07_MS, '--trust', rootAndKeys, '--at', AT];
    const text = await chain(args);
    expect(text.code).toBe(0);
    expect(text.lines[0]).toMatch(/^VALID for openssl-3: www\.microsoft\.com -> /);
    expect(text.lines).toContain(`Note: ${leafAndKey}: ${NOTICE}`);
    expect(text.lines).toContain(
      `Note: ${rootAndKeys}: 2 private keys were found and discarded: they are not kept, shown or analysed.`,
    );
    expectNoKey(text.out + text.err);
    const json = await chain([...args, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).discardedPrivateKeys).toEqual({ [leafAndKey]: 1, [rootAndKeys]: 2 });
    expectNoKey(json.out + json.err);
    // None in the files: the field is there, empty.
    const none = await chain([LEAF, CA07_MS, '--trust', MS_ROOT, '--at', AT, '--json']);
    expect(JSON.parse(none.out).discardedPrivateKeys).toEqual({});
  });
});

describe('an encrypted PKCS#12 file (fixtures/pkcs12: every file’s password is "legacy pass")', () => {
  const P12 = fileURLToPath(new URL('../../../fixtures/pkcs12/3des.p12', import.meta.url));
  const CA = fileURLToPath(new URL('../../../fixtures/pkcs12/ca.pem', import.meta.url));
  const PASSWORD = 'legacy pass';
  const LATER = '2030-01-15'; // the fixtures' certificates are valid from 2026-12-06 for 20 years
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const io = { ...memoryIo(), env };
    const code = await main(['chain', ...args], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };
  const lab = (password?: string) =>
    runChainSession({
      inputs: [
        { name: P12, content: new Uint8Array(readFileSync(P12)) },
        { name: CA, content: readFileSync(CA, 'utf8'), role: 'trust' },
      ],
      sampleServed: '',
      sampleAnchors: '',
      trust: 'loaded',
      ticked: [],
      ...(password !== undefined ? { password } : {}),
      time: new Date(`${LATER}T12:00:00Z`),
      purpose: 'serverAuth',
      profile: 'openssl-3',
    });

  it('opens with --password, as the Chain Lab opens it with the same password (was: no way to give one)', async () => {
    const r = await run([P12, '--trust', CA, '--at', LATER, '--password', PASSWORD, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const cli = JSON.parse(r.out);
    const web = (await lab(PASSWORD)).analysis!.verdict;
    expect(web.valid).toBe(true);
    expect(cli.verdict.valid).toBe(true);
    expect(cli.verdict.path).toEqual(web.path);
    expect(cli.leaf.subject.rfc4514).toBe('CN=legacy.example');
    // The file's key bag is counted, never opened.
    expect(cli.discardedPrivateKeys).toEqual({ [P12]: 1 });
  });

  it('reads the password from TLS_LAB_PKCS12_PASSWORD too, so it need not be on the command line', async () => {
    const r = await run([P12, '--trust', CA, '--at', LATER], { TLS_LAB_PKCS12_PASSWORD: PASSWORD });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^VALID for openssl-3: legacy\.example -> Legacy PKCS12 Test Root$/);
  });

  it('a wrong password: the Chain Lab’s error, and which option gave it', async () => {
    const webProblem = (await lab('wrong')).report.problems[0]!.message;
    expect(webProblem).toBe('the PKCS#12 password is wrong (the MAC does not verify)');
    const flag = await run([P12, '--trust', CA, '--password', 'wrong']);
    expect(flag.code).toBe(2);
    expect(flag.out).toBe('');
    expect(flag.err.split('\n')[0]).toBe(
      `tls-lab chain: ${P12} holds no certificate: bytes 0-1494: ${webProblem}; check --password`,
    );
    const env = await run([P12, '--trust', CA], { TLS_LAB_PKCS12_PASSWORD: 'wrong' });
    expect(env.err.split('\n')[0]).toMatch(/; check TLS_LAB_PKCS12_PASSWORD$/);
    // --password wins over the environment.
    const both = await run([P12, '--trust', CA, '--at', LATER, '--password', PASSWORD], {
      TLS_LAB_PKCS12_PASSWORD: 'wrong',
    });
    expect(both.code).toBe(0);
  });

  it('no password: says how to give one', async () => {
    const r = await run([P12, '--trust', CA]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      `tls-lab chain: ${P12} holds no certificate: bytes 0-1494: the PKCS#12 file is protected by a password; none was given; give its password with --password or TLS_LAB_PKCS12_PASSWORD`,
    );
  });

  it('among files that hold certificates: the verdict, the problem and what to do about it', async () => {
    const r = await run([LEAF, P12, '--trust', CA, '--at', LATER]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `Input problem: ${P12}: bytes 0-1494: the PKCS#12 file is protected by a password; none was given\n`,
    );
    expect(r.out).toContain(`Note: ${P12}: give its password with --password or TLS_LAB_PKCS12_PASSWORD\n`);
  });

  it('--help documents --password and TLS_LAB_PKCS12_PASSWORD', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}--password TEXT +/m);
    expect(r.out).toContain('TLS_LAB_PKCS12_PASSWORD');
  });
});

describe('--max-depth says what it limits', () => {
  const args = [LEAF, CA07_MS, '--trust', MS_ROOT, '--at', AT];

  it('the RFC 5280 every-path search it cut, not the profile’s verdict from its own builder (was: "VALID" then "search truncated: depth:")', async () => {
    const r = await chain([...args, '--max-depth', '1']);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/^VALID for openssl-3: www\.microsoft\.com -> /);
    const heading = r.lines.findIndex((l) => l.startsWith('Paths to a trust anchor'));
    expect(r.lines.slice(heading, heading + 2)).toEqual([
      'Paths to a trust anchor (0), by the RFC 5280 every-path search, cut short by --max-depth 1 (at most 1 certificate a path):',
      "  the openssl-3 verdict above comes from openssl-3's own chain building, which --max-depth does not limit",
    ]);
    // The rfc5280 profile judges the paths of that search: the limit is its verdict.
    const rfc = await chain([...args, '--max-depth', '1', '--profile', 'rfc5280']);
    expect(rfc.code).toBe(1);
    expect(rfc.lines).toContain('  the rfc5280 verdict above is that of the paths this search found');
    // Deep enough: the usual heading, no note.
    const deep = await chain([...args, '--max-depth', '3']);
    expect(deep.lines).toContain('Paths to a trust anchor (1):');
    expect(deep.out).not.toContain('cut short');
  });

  it('--help says so', async () => {
    const r = await chain(['--help']);
    expect(r.out).toMatch(
      /^ {2}--max-depth N +the longest path the RFC 5280 every-path search builds \(the paths listed, and the\n {23}rfc5280 profile's verdict\)/m,
    );
    expect(r.out).toContain('default 10');
  });
});

describe('--trust with a name that is neither a preset nor a file', () => {
  it('lists the presets (was: only "no such file")', async () => {
    const r = await chain([LEAF, '--trust', 'mozila']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'tls-lab chain: cannot read trust anchor file mozila: no such file; --trust takes a file or a preset: mozilla, azure-postgresql, letsencrypt',
    );
  });
});
