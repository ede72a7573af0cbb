/**
 * Refreshes the pinned copy of Debian's ca-certificates Mozilla set in fixtures/ca-certificates/ from the Debian
 * archive (`apt-get download`, so only Debian's own package source is used), then the trust-store presets are rebuilt
 * from that pinned copy with `npx tsx scripts/build-trust-store.ts`.
 *
 *   npx tsx scripts/refresh-ca-certificates.ts              # the newest ca-certificates apt knows
 *   npx tsx scripts/refresh-ca-certificates.ts 20250419~deb12u2
 *
 * The list (file, subject, SHA-256; not the certificates) of the version being replaced is kept in history.json, so
 * the app can say of a root that left the store "in the Mozilla store until <version>".
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseCertificates } from '../src/lib/pki/index.ts';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'fixtures', 'ca-certificates');
const wanted = process.argv[2];

export interface PinnedRoot {
  readonly file: string;
  readonly subject: string;
  readonly sha256: string;
}
export interface PinnedVersion {
  readonly version: string;
  readonly mozillaBundleVersion: string;
  readonly date: string;
  readonly roots: readonly PinnedRoot[];
}

const work = mkdtempSync(join(tmpdir(), 'ca-certificates-'));
try {
  execFileSync('apt-get', ['download', wanted ? `ca-certificates=${wanted}` : 'ca-certificates'], {
    cwd: work,
    stdio: 'inherit',
  });
  const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download left no .deb');
  const debSha256 = createHash('sha256')
    .update(readFileSync(join(work, deb)))
    .digest('hex');
  execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: work });
  const version = execFileSync('dpkg-deb', ['-f', deb, 'Version'], { cwd: work, encoding: 'utf8' }).trim();
  const doc = join(work, 'x', 'usr', 'share', 'doc', 'ca-certificates');
  const changelog = gunzipSync(readFileSync(join(doc, 'changelog.gz'))).toString('utf8');
  // The newest entry's trailer line carries its date; the newest "bundle to version N" line, Mozilla's version.
  const trailer = /^ -- .+ {2}(.+)$/m.exec(changelog);
  const bundle = /Mozilla certificate authority bundle to\s+version\s+(\d+(?:\.\d+)*)/.exec(changelog);
  if (!trailer || !bundle) throw new Error('changelog: no date or no Mozilla bundle version');
  const date = new Date(trailer[1]!).toISOString().slice(0, 10);

  const dir = join(work, 'x', 'usr', 'share', 'ca-certificates', 'mozilla');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.crt'))
    .sort();
  const roots: PinnedRoot[] = [];
  const pem: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    // Our own parser names the subject as the app shows it (RFC 4514), so a name can be matched later.
    const report = await parseCertificates(text);
    const cert = report.certificates[0];
    if (!cert || report.certificates.length !== 1 || report.problems.length > 0) {
      throw new Error(`${file}: ${JSON.stringify(report.problems)}`);
    }
    roots.push({ file, subject: cert.subject.rfc4514, sha256: cert.fingerprints.sha256 });
    pem.push(`# ${file}\n${text.trim()}\n`);
  }

  const sourceFile = join(FIXTURE, 'source.json');
  const historyFile = join(FIXTURE, 'history.json');
  const history: PinnedVersion[] = existsSync(historyFile)
    ? (JSON.parse(readFileSync(historyFile, 'utf8')) as PinnedVersion[])
    : [];
  if (existsSync(sourceFile)) {
    const previous = JSON.parse(readFileSync(sourceFile, 'utf8')) as PinnedVersion;
    if (previous.version !== version && !history.some((h) => h.version === previous.version)) {
      history.unshift({
        version: previous.version,
        mozillaBundleVersion: previous.mozillaBundleVersion,
        date: previous.date,
        roots: previous.roots,
      });
    }
  }
  const source = {
    package: 'ca-certificates',
    version,
    mozillaBundleVersion: bundle[1]!,
    date,
    deb,
    debSha256,
    roots,
  };
  writeFileSync(sourceFile, `${JSON.stringify(source, null, 2)}\n`);
  writeFileSync(historyFile, `${JSON.stringify(history, null, 2)}\n`);
  writeFileSync(join(FIXTURE, 'mozilla.pem'), pem.join(''));
  copyFileSync(join(doc, 'copyright'), join(FIXTURE, 'copyright'));
  console.log(`ca-certificates ${version} (Mozilla ${bundle[1]}, ${date}): ${roots.length} roots`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
