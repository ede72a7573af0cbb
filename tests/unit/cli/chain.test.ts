/**
 * `tls-lab chain` (src/cli/chain.ts), run in-process through the CLI's entry with an in-memory CliIo: the
 * verdict-first layout on the issue #21 example (Azure CA 07 cross-sign, Mozilla preset), the client's error
 * line, the remedies, --verbose, --json, colours, --help and the exit status on bad input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { colorWanted, memoryIo } from '../../../src/cli/io.ts';
import { MOZILLA_META } from '../../../src/lib/pki/trust-stores/mozilla.meta.ts';
import { chainOf, name, T0 } from '../pki/paths/raw-certs.ts';

/** The pinned Mozilla preset's size (148 roots in ca-certificates 20250419~deb12u2). */
const MOZ = MOZILLA_META.count;

const AZ = fileURLToPath(new URL('../../../fixtures/public-ca/azure/', import.meta.url));
const LE = fileURLToPath(new URL('../../../fixtures/public-ca/letsencrypt/', import.meta.url));
const LEAF = `${AZ}leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const CA07_MS = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`;
const CA07_XSIGN = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`;
const MS_ROOT = `${AZ}root_microsoft-rsa-root-ca-2017.pem`;

async function chain(args: string[], color = false) {
  const io = memoryIo(color);
  const code = await main(['chain', ...args], io);
  return { code, out: io.stdout(), err: io.stderr(), lines: io.stdout().trimEnd().split('\n') };
}

/** The command of issue #21: `tls-lab chain leaf.pem ca07-*.pem --trust mozilla --host ... --at ... --profile openssl-3`. */
const EXAMPLE = [
  LEAF,
  CA07_XSIGN,
  CA07_MS,
  '--trust',
  'mozilla',
  '--host',
  'www.microsoft.com',
  '--at',
  '2024-01-15',
  '--profile',
  'openssl-3',
];

describe('tls-lab chain: the answer first', () => {
  it('the issue #21 example fits on one screen with the verdict on line 1 (was 446 lines)', async () => {
    const r = await chain(EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.lines.length).toBeLessThan(25);
    expect(r.out).toBe(
      [
        'VALID for openssl-3: www.microsoft.com -> Microsoft Azure RSA TLS Issuing CA 07 -> DigiCert Global Root G2',
        '  checked for host www.microsoft.com, purpose serverAuth, at 2024-01-15T12:00:00Z',
        'Paths to a trust anchor (2):',
        '  1. [valid] www.microsoft.com -> Microsoft Azure RSA TLS Issuing CA 07 -> DigiCert Global Root G2',
        '  2. [valid] www.microsoft.com -> Microsoft Azure RSA TLS Issuing CA 07 -> Microsoft RSA Root Certificate Authority 2017',
        'Other profiles:',
        '  rfc5280        valid',
        '  openssl-1.0.2  valid',
        '  go             valid',
        '  webpki         valid',
        'Certificates sent (3):',
        '  #0  CN=www.microsoft.com,O=Microsoft Corporation,L=Redmond,ST=WA,C=US',
        '      issuer CN=Microsoft Azure RSA TLS Issuing CA 07,O=Microsoft Corporation,C=US; 2023-09-14T17:24:20Z .. 2024-09-08T17:24:20Z; sha256 f34825e71ce7fea1…',
        '  #1  CN=Microsoft Azure RSA TLS Issuing CA 07,O=Microsoft Corporation,C=US',
        '      issuer CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US; 2023-06-08T00:00:00Z .. 2026-08-25T23:59:59Z; sha256 724247794951c93f…',
        '  #2  CN=Microsoft Azure RSA TLS Issuing CA 07,O=Microsoft Corporation,C=US',
        '      issuer CN=Microsoft RSA Root Certificate Authority 2017,O=Microsoft Corporation,C=US; 2023-05-25T23:49:30Z .. 2028-05-25T23:49:30Z; sha256 fbb7926a451badf5…',
        `Trust anchors on a path or named as an issuer (2 of ${MOZ} loaded; --verbose lists all):`,
        '  ta  CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US',
        '      issuer (itself); 2013-08-01T12:00:00Z .. 2038-01-15T12:00:00Z; sha256 cb3ccbb76031e5e0…',
        '  ta  CN=Microsoft RSA Root Certificate Authority 2017,O=Microsoft Corporation,C=US',
        '      issuer (itself); 2019-12-18T22:51:22Z .. 2042-07-18T23:00:23Z; sha256 c741f70f4b2a8d88…',
        '',
      ].join('\n'),
    );
  });

  it('--verbose lists every anchor of the store', async () => {
    const r = await chain([...EXAMPLE, '--verbose']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Trust anchors loaded (${MOZ}):`);
    expect(r.lines.filter((l) => l.startsWith('  ta  '))).toHaveLength(MOZ);
    expect(r.lines[0]).toMatch(/^VALID for openssl-3: /);
  });

  it('a missing intermediate: OpenSSL 3’s own error line first, then the issuer to send and where it is', async () => {
    const r = await chain([LEAF, '--trust', 'mozilla', '--at', '2024-01-15', '--profile', 'openssl-3']);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe(
      'NOT VALID for openssl-3: error 20 at 0 depth lookup: unable to get local issuer certificate',
    );
    expect(r.lines[1]).toBe(
      '  at depth 0, CN=www.microsoft.com,O=Microsoft Corporation,L=Redmond,ST=WA,C=US',
    );
    expect(r.lines[3]).toBe('What would make it pass, and every problem on the path tried:');
    expect(r.lines[4]).toBe(
      '  - the issuer of "www.microsoft.com" is missing: send CN=Microsoft Azure RSA TLS Issuing CA 07,O=Microsoft Corporation,C=US after it; no loaded file holds it, the certificate says it is at http://www.microsoft.com/pkiops/certs/Microsoft%20Azure%20RSA%20TLS%20Issuing%20CA%2007%20-%20xsign.crt',
    );
    // The other profiles keep their own texts, OpenSSL 1.0.2's without the space after "lookup:".
    expect(r.out).toContain(
      '  openssl-1.0.2  NOT VALID  error 20 at 0 depth lookup:unable to get local issuer certificate',
    );
    expect(r.out).toContain('  go             NOT VALID  x509: certificate signed by unknown authority');
    expect(r.out).toContain('  webpki         NOT VALID  UnknownIssuer');
    expect(r.out).toContain(`(0 of ${MOZ} loaded; --verbose lists all)`);
  });

  it('a missing root: the anchor to add, found in a preset that was not loaded', async () => {
    const r = await chain([
      LEAF,
      CA07_XSIGN,
      '--trust',
      MS_ROOT,
      '--at',
      '2024-01-15',
      '--profile',
      'openssl-3',
    ]);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe(
      'NOT VALID for openssl-3: error 20 at 1 depth lookup: unable to get local issuer certificate',
    );
    expect(r.out).toContain(
      '  - add the root "DigiCert Global Root G2" (in the mozilla preset, --trust mozilla), also in the azure-postgresql preset, --trust azure-postgresql, to the trust anchors: it issued "Microsoft Azure RSA TLS Issuing CA 07"',
    );
  });

  it('a root the Mozilla preset dropped: the remedy and when it left the store', async () => {
    const comodo = fileURLToPath(
      new URL('../../../fixtures/public-ca/comodo/root_aaa-certificate-services.pem', import.meta.url),
    );
    const gone = MOZILLA_META.removed.find((x) => x.subject.startsWith('CN=AAA Certificate Services'));
    const r = await chain([comodo, '--at', '2024-01-15', '--profile', 'openssl-3']);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe('NOT VALID for openssl-3: error 18 at 0 depth lookup: self-signed certificate');
    expect(r.lines.slice(3, 6)).toEqual([
      'What would make it pass, and every problem on the path tried:',
      '  - trust "AAA Certificate Services" (it was sent, self-signed, and is not among the trust anchors): add it to the anchors only if you trust it',
      `  note: CN=AAA Certificate Services,O=Comodo CA Limited,L=Salford,ST=Greater Manchester,C=GB was in the mozilla store until Debian ca-certificates 20230311+deb12u1 (${gone?.lastDate}); the preset no longer has it`,
    ]);
  });

  it('an expired leaf: the dates at which the path is valid, as the Chain Lab lists them', async () => {
    const r = await chain([
      LEAF,
      CA07_MS,
      '--trust',
      MS_ROOT,
      '--at',
      '2025-01-15',
      '--profile',
      'openssl-3',
    ]);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe('NOT VALID for openssl-3: error 10 at 0 depth lookup: certificate has expired');
    expect(r.lines.slice(3, 6)).toEqual([
      'What would make it pass, and every problem on the path tried:',
      '  - "www.microsoft.com" is valid from 2023-09-14 to 2024-09-08; the check date 2025-01-15 is after that.',
      '  - Every certificate on this path is valid from 2023-09-14 to 2024-09-08.',
    ]);
  });

  it('a host-name mismatch: the names the certificate holds', async () => {
    const r = await chain([
      LEAF,
      CA07_MS,
      '--trust',
      MS_ROOT,
      '--at',
      '2024-01-15',
      '--host',
      'example.org',
      '--profile',
      'openssl-3',
    ]);
    expect(r.code).toBe(1);
    // libpq checks the name itself once OpenSSL has verified the chain, in its own words (not error 62).
    expect(r.lines[0]).toBe(
      'NOT VALID for openssl-3: server certificate for "wwwqa.microsoft.com" (and 6 other names) does not match host name "example.org"',
    );
    expect(r.out).toMatch(
      / {2}- connect with a name the certificate holds \(DNS:wwwqa\.microsoft\.com, DNS:www\.microsoft\.com, /,
    );
  });

  it('Let’s Encrypt 2021 under OpenSSL 1.0.2: the expired cross-sign to stop sending', async () => {
    const r = await chain([
      `${LE}int_r3_by-isrg-root-x1.pem`,
      `${LE}int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem`,
      '--trust',
      `${LE}root_isrg-root-x1_selfsigned.pem`,
      '--trust',
      `${LE}root_dst-root-ca-x3_expired-2021.pem`,
      '--purpose',
      'any',
      '--at',
      '2021-10-15',
      '--profile',
      'openssl-1.0.2',
    ]);
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe(
      'NOT VALID for openssl-1.0.2: error 10 at 2 depth lookup:certificate has expired',
    );
    expect(r.out).toContain(
      '  - stop sending "ISRG Root X1" (certificate 2 of the 2 sent): openssl-1.0.2 builds its chain through it, and path 1 (valid by the RFC 5280 checks, with no warning) does not need it',
    );
    expect(r.out).toContain('  openssl-3  valid');
  });

  it('--json is the complete analysis plus the client error, remedies, sources and anchor count', async () => {
    const r = await chain([
      LEAF,
      '--trust',
      'mozilla',
      '--at',
      '2024-01-15',
      '--profile',
      'openssl-3',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.verdict.error.number).toBe(20);
    expect(j.clientError).toBe('error 20 at 0 depth lookup: unable to get local issuer certificate');
    expect(j.profiles).toHaveLength(5);
    expect(j.remedies[0].kind).toBe('send-issuer');
    expect(j.remedies[0].caIssuers[0]).toMatch(/^http:\/\/www\.microsoft\.com\/pkiops\/certs\//);
    expect(j.anchorsLoaded).toBe(MOZ);
    expect(j.formerRoots).toEqual([]);
    expect(j.anchors.length).toBeGreaterThan(0);
    expect(j.sources[j.leaf.id]).toEqual([LEAF]);
    expect(j.leaf.der).toMatch(/^30/);
    expect(j.leaf.asn1).toBeUndefined();
  });

  it('colours only when the io allows them; NO_COLOR and a pipe turn them off', async () => {
    const plain = await chain(EXAMPLE);
    expect(plain.out).not.toContain('\x1b[');
    const coloured = await chain(EXAMPLE, true);
    expect(coloured.lines[0]).toBe(
      '\x1b[32m\x1b[1mVALID\x1b[0m\x1b[0m for openssl-3: www.microsoft.com -> Microsoft Azure RSA TLS Issuing CA 07 -> DigiCert Global Root G2',
    );
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '' })).toBe(true);
    expect(colorWanted(true, { TERM: 'dumb' })).toBe(false);
    expect(colorWanted(false, {})).toBe(false);
  });

  it('--help documents the exit status', async () => {
    const r = await chain(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Exit status: 0 the chain is valid under the chosen profile; 1 it is not valid, or not checked here (an algorithm this engine lacks);\n2 bad input',
    );
    expect(r.out).toContain('--verbose');
  });
});

describe('tls-lab chain: bad input exits 2 with one sentence, never a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-chain-cli-'));
  const garbage = join(dir, 'garbage.pem');
  writeFileSync(garbage, 'this is not a certificate\n-----BEGIN CERTIFICATE-----\n%%%\n');
  const empty = join(dir, 'empty.pem');
  writeFileSync(empty, '');
  const cases: [string, string[], RegExp][] = [
    ['a bad date', [LEAF, '--at', 'yesterday'], /--at "yesterday" is not an ISO 8601 date/],
    ['an impossible date', [LEAF, '--at', '2024-02-30'], /--at "2024-02-30" is not an ISO 8601 date/],
    ['an unknown option', [LEAF, '--frobnicate'], /unknown option "--frobnicate"/],
    [
      'an unknown profile',
      [LEAF, '--profile', 'openssl-9'],
      /unknown profile "openssl-9" \(one of rfc5280, /,
    ],
    ['a flag without its value', [LEAF, '--trust'], /--trust needs a value/],
    ['a bad depth', [LEAF, '--max-depth', '0'], /--max-depth needs a positive integer, got "0"/],
    ['no file', [], /no certificate file given/],
    ['a missing file', [join(dir, 'nope.pem')], /cannot read certificate file .*nope\.pem: no such file/],
    ['a directory', [dir], /cannot read certificate file .*: it is a directory/],
    [
      'a garbage file',
      [garbage],
      /garbage\.pem holds no certificate: block 1 \(PEM CERTIFICATE, lines 2-4\): there is no "-----END CERTIFICATE-----" line after line 2\n/,
    ],
    ['an empty file', [empty], /empty\.pem holds no certificate: /],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await chain(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^tls-lab chain: /);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+/);
    });
  }
});

describe('a certificate OpenSSL loads despite a defect', () => {
  it('is listed with each defect (what, where, byte offset), and the profile decides the verdict', async () => {
    // A leaf whose subject ends in an empty RDN (a SET with no attributes, as Go once emitted): OpenSSL 3 accepts it.
    const odd = await chainOf({ leaf: { subjectName: name(['CN', 'leaf'], null) } });
    const dir = mkdtempSync(join(tmpdir(), 'tls-lab-chain-defect-'));
    const files = { leaf: join(dir, 'leaf.pem'), inter: join(dir, 'inter.pem'), root: join(dir, 'root.pem') };
    for (const [k, f] of Object.entries(files)) writeFileSync(f, odd[k as keyof typeof odd]);
    const at = T0.toISOString();
    const r = await chain([
      files.leaf,
      files.inter,
      '--trust',
      files.root,
      '--at',
      at,
      '--profile',
      'openssl-3',
    ]);
    expect(r.code).toBe(0);
    const defect = r.lines.find((l) => l.includes('defect:'));
    expect(defect).toMatch(/defect: .*empty.*\(subject, byte \d+\)/i);
  });
});

describe('tls-lab chain judges what the Chain Lab judges', () => {
  it('the same server certificate, instant and profile for the same files, bundled in any order', async () => {
    const { readFileSync } = await import('node:fs');
    const { runChainSession } = await import('../../../src/app/workers/chain-session.ts');
    // A bundle that starts with the CA certificates, as a CA file does: the leaf comes last.
    const files = [CA07_MS, CA07_XSIGN, LEAF];
    for (const at of ['2024-01-15', '2024-09-08', '2025-01-15']) {
      const cli = JSON.parse((await chain([...files, '--trust', 'mozilla', '--at', at, '--json'])).out);
      const web = await runChainSession({
        inputs: files.map((f) => ({ name: f, content: readFileSync(f, 'utf8') })),
        sampleServed: '',
        sampleAnchors: '',
        trust: 'mozilla',
        ticked: [],
        time: new Date(`${at}T12:00:00Z`), // the Chain Lab's date control
        purpose: 'serverAuth',
        profile: 'openssl-3', // the Chain Lab's default
      });
      expect(cli.time, at).toBe(web.analysis!.time);
      expect(cli.certificates[0].subject.rfc4514, at).toMatch(/^CN=www\.microsoft\.com/);
      expect(cli.verdict.path, at).toEqual(web.analysis!.verdict.path);
      expect([cli.verdict.valid, cli.verdict.error?.code], at).toEqual([
        web.analysis!.verdict.valid,
        web.analysis!.verdict.error?.code,
      ]);
      // The same advice, in the same order.
      expect(cli.advice, at).toEqual(web.advice.map((r) => r.text));
      if (at === '2025-01-15') expect(cli.advice.length).toBeGreaterThan(1); // the leaf has expired
    }
  });
});
