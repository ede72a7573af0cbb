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
