/**
 * The same capture and key log get the same verdict from `tls-lab handshake --pcap --json` and from the Handshake
 * Lab's import (`importConnection`, what the lab's worker runs): the same event log, decryption status and report,
 * on the committed real captures (fixtures/pcap, The Illustrated TLS 1.2), with a matching key log, with none, with
 * the wrong one, and with the capture's own key log plus a file; and the CLI's JSON opened by the lab's reader
 * (`parseCapture`) is the same event log again, TLS 1.3 included, with the same report; a JSON an older tls-lab
 * wrote (TLS 1.3's own status names, no version) opens with its report in today's names.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { PCAP_EXIT } from '../../../src/cli/handshake-pcap.ts';
import {
  importConnection,
  MAX_SHOWN_RECORDS,
  openFileBytes,
  runPcapng,
} from '../../../src/app/model/handshake/import.ts';
import {
  alertAfterHandshake,
  alertShown,
  describeCaptureError,
  outcomeLine,
  parseCapture,
} from '../../../src/app/model/handshake/capture.ts';
import { eventLogToJson, type HandshakeRun } from '../../../src/lib/tls12/index.ts';
import { runWithLateAlert } from '../../kit/pure/late-alert.ts';

const ILLUSTRATED = 'fixtures/tls12-vectors/illustrated-tls12';
const CASES: { capture: string; keyLog?: string }[] = [
  { capture: 'fixtures/pcap/tls12-lo.pcap', keyLog: 'fixtures/pcap/tls12.keys.log' },
  { capture: 'fixtures/pcap/tls12-lo.pcap' },
  { capture: 'fixtures/pcap/tls12-lo.pcap', keyLog: `${ILLUSTRATED}/keylog.txt` },
  { capture: 'fixtures/pcap/tls12-any-sll2.pcap', keyLog: 'fixtures/pcap/tls12.keys.log' },
  { capture: 'fixtures/pcap/tls12-dsb.pcapng' },
  { capture: 'fixtures/pcap/tls12-dsb.pcapng', keyLog: `${ILLUSTRATED}/keylog.txt` },
  { capture: 'fixtures/pcap/tls12-dsb.pcapng', keyLog: 'fixtures/pcap/tls12-wrong-then-right.keys.log' },
  { capture: 'fixtures/pcap/tls12-lo-after-handshake.pcap', keyLog: 'fixtures/pcap/tls12.keys.log' },
  { capture: 'fixtures/pcap/tls13-bulk-lo-mid-record.pcap', keyLog: 'fixtures/pcap/tls13-bulk.keys.log' },
  { capture: 'fixtures/pcap/tls13-lo.pcap', keyLog: 'fixtures/pcap/tls13.keys.log' },
  { capture: 'fixtures/pcap/tls13-dsb.pcapng' },
  {
    capture: 'fixtures/pcap/tls13-hrr-keyupdate-lo.pcap',
    keyLog: 'fixtures/pcap/tls13-hrr-keyupdate.keys.log',
  },
  { capture: 'fixtures/pcap/tls12-reneg-lo.pcap', keyLog: 'fixtures/pcap/tls12-reneg.keys.log' },
  { capture: 'fixtures/pcap/psql-require-lo.pcap' },
  {
    capture: 'fixtures/pcap/libpq18-client-cert-rejected-lo.pcap',
    keyLog: 'fixtures/pcap/libpq18-client-cert-rejected.keys.log',
  },
  { capture: 'fixtures/pcap/tls-lab-postgres-lo.pcap', keyLog: 'fixtures/pcap/tls-lab-postgres.keys.log' },
  { capture: `${ILLUSTRATED}/capture.pcap`, keyLog: `${ILLUSTRATED}/keylog.txt` },
  // Cut to 150 bytes a packet: no whole record, an empty event log (the lab refused the CLI's JSON of it).
  { capture: 'fixtures/pcap/tls13-lo-snap150.pcap', keyLog: 'fixtures/pcap/tls13.keys.log' },
];

describe('CLI --pcap and the Handshake Lab agree on every committed capture', () => {
  for (const c of CASES) {
    it(`${c.capture}${c.keyLog ? ` + ${c.keyLog}` : ''}`, async () => {
      const io = memoryIo();
      await main(
        ['handshake', '--pcap', c.capture, ...(c.keyLog ? ['--keylog', c.keyLog] : []), '--json'],
        io,
      );
      const cli = JSON.parse(io.stdout()) as {
        eventLog: unknown;
        observation: { decryption: unknown; decryptionSummary: string };
      };

      const opened = openFileBytes(c.capture, new Uint8Array(readFileSync(c.capture)));
      if (opened.kind !== 'capture' || !opened.capture) throw new Error(`the lab did not open ${c.capture}`);
      const lab = await importConnection(
        opened.capture,
        opened.choices[0]!.index,
        c.keyLog ? { name: c.keyLog, text: readFileSync(c.keyLog, 'utf8') } : undefined,
      );

      expect(lab.decryption).toEqual(cli.observation.decryption);
      expect(lab.decryptionSummary).toBe(cli.observation.decryptionSummary);
      expect(JSON.parse(eventLogToJson(lab.run.eventLog))).toEqual(cli.eventLog);

      // The CLI's JSON opened in the lab (1.3 messages re-read by the 1.3 decoder) is the same event log again.
      const reread = parseCapture(io.stdout());
      if (!reread.ok) throw new Error(describeCaptureError(reread.error));
      expect(JSON.parse(eventLogToJson(reread.run.eventLog))).toEqual(cli.eventLog);
      // ... with the report the lab shows: the status, its version, the words and the notes.
      const { status, version } = lab.decryption;
      expect(reread.observation).toEqual({
        decryption: { status, ...(version ? { version } : {}) },
        decryptionSummary: lab.decryptionSummary,
        notes: lab.notes,
      });
    });
  }
});

/** The CLI's JSON for a capture, as an object to edit into what an older tls-lab wrote. */
async function cliJson(capture: string, keyLog?: string): Promise<{ observation: { decryption: Obj } }> {
  const io = memoryIo();
  await main(['handshake', '--pcap', capture, ...(keyLog ? ['--keylog', keyLog] : []), '--json'], io);
  return JSON.parse(io.stdout()) as { observation: { decryption: Obj } };
}
type Obj = Record<string, unknown>;

function reportOf(doc: unknown): unknown {
  const opened = openFileBytes('old.json', new TextEncoder().encode(JSON.stringify(doc)));
  if (opened.kind !== 'json') throw new Error(opened.kind === 'error' ? opened.message : 'not JSON');
  return opened.report && { ...opened.report.decryption, summary: opened.report.decryptionSummary };
}

describe('capture JSON written before TLS 1.2 and 1.3 shared one set of statuses opens with its report', () => {
  // What tls-lab wrote before: the 1.3 statuses had their own names (git history of src/lib/tls13/observe.ts),
  // and no report had a version.
  const TLS13 = ['fixtures/pcap/tls13-lo.pcap', 'fixtures/pcap/tls13.keys.log'] as const;
  const BEFORE: [old: string, now: string][] = [
    ['tls13-decrypted', 'decrypted'],
    ['tls13-incomplete', 'incomplete'],
    ['tls13-wrong-secret', 'wrong-secret'],
    ['tls13-finished-mismatch', 'finished-mismatch'],
    ['tls13-no-matching-lines', 'no-matching-line'],
    ['tls13', 'no-client-hello'],
  ];
  for (const [old, now] of BEFORE)
    it(`"${old}" is ${now}, TLS 1.3, with the words the file has`, async () => {
      const doc = await cliJson(...TLS13);
      delete doc.observation.decryption.version;
      doc.observation.decryption.status = old;
      expect(reportOf(doc)).toEqual({
        status: now,
        version: 'TLSv1.3',
        summary: expect.stringContaining('TLS 1.3') as unknown,
      });
    });

  it('a status both versions had is TLS 1.3 when the report lists the 1.3 lines, else TLS 1.2', async () => {
    const tls13 = await cliJson(TLS13[0]);
    expect(tls13.observation.decryption).toMatchObject({ status: 'no-key-log', version: 'TLSv1.3' });
    delete tls13.observation.decryption.version;
    expect(reportOf(tls13)).toMatchObject({ status: 'no-key-log', version: 'TLSv1.3' });
    const tls12 = await cliJson('fixtures/pcap/tls12-lo.pcap', 'fixtures/pcap/tls12.keys.log');
    expect(tls12.observation.decryption).toMatchObject({ status: 'decrypted', version: 'TLSv1.2' });
    delete tls12.observation.decryption.version;
    expect(reportOf(tls12)).toMatchObject({ status: 'decrypted', version: 'TLSv1.2' });
  });

  it('a status tls-lab never wrote is refused, naming where it is', async () => {
    const doc = await cliJson(...TLS13);
    doc.observation.decryption.status = 'tls13-opened';
    const opened = openFileBytes('odd.json', new TextEncoder().encode(JSON.stringify(doc)));
    expect(opened.kind).toBe('error');
    expect(opened.kind === 'error' && opened.message).toMatch(
      /^odd\.json is not a tls-lab capture because "status" is "tls13-opened", not one of decrypted, .* \(at \$\.observation\.decryption\.status\)$/,
    );
  });
});

/** Connection `n` (numbered as the picker and --stream number them) of a capture, as the lab imports it. */
async function labConnection(capture: string, n: number, keyLog: string) {
  const opened = openFileBytes(capture, new Uint8Array(readFileSync(capture)));
  if (opened.kind !== 'capture' || !opened.capture) throw new Error(`the lab did not open ${capture}`);
  return importConnection(opened.capture, opened.choices[n - 1]!.index, {
    name: keyLog,
    text: readFileSync(keyLog, 'utf8'),
  });
}

describe('a resumed TLS 1.2 session (fixtures/pcap/tls12-resume-lo.pcap, connection 2)', () => {
  it('the lab and the CLI both say an earlier session was resumed, with no key exchange', async () => {
    const capture = 'fixtures/pcap/tls12-resume-lo.pcap';
    const keyLog = 'fixtures/pcap/tls12-resume.keys.log';
    const lab = await labConnection(capture, 2, keyLog);
    expect(lab.run.summary?.resumed).toBe(true);
    expect(outcomeLine(lab.run.summary!)).toContain('an earlier session resumed (no key exchange)');
    const io = memoryIo();
    await main(['handshake', '--pcap', capture, '--keylog', keyLog, '--stream', '2'], io);
    expect(io.stdout()).toContain('Key exchange:      none: an earlier session resumed');
  });

  it('with only the first connection in the key log, both read connection 3 with the session it resumes', async () => {
    const capture = 'fixtures/pcap/tls12-resume-ticket-lo.pcap';
    const keyLog = 'fixtures/pcap/tls12-resume-ticket.first-only.keys.log';
    const lab = await labConnection(capture, 3, keyLog);
    const io = memoryIo();
    await main(['handshake', '--pcap', capture, '--keylog', keyLog, '--stream', '3', '--json'], io);
    const cli = JSON.parse(io.stdout()) as {
      observation: { decryption: unknown; decryptionSummary: string };
    };
    expect(lab.decryption).toMatchObject({ status: 'decrypted', resumes: { connection: 1 } });
    expect(lab.decryption).toEqual(cli.observation.decryption);
    expect(lab.decryptionSummary).toBe(cli.observation.decryptionSummary);
    // The CLI's JSON opened in the lab keeps the resumption in the outcome (a review found it dropped).
    const reread = parseCapture(io.stdout());
    if (!reread.ok) throw new Error(describeCaptureError(reread.error));
    expect(outcomeLine(reread.run.summary!)).toContain('an earlier session resumed (no key exchange)');
  });
});

describe('a connection longer than the lab draws gets the same verdict as in the CLI', () => {
  it('a fatal alert past the records the lab shows still fails the connection in both', async () => {
    // 102 records of application data from the client; something on the path breaks the last one, and the
    // server answers with a fatal bad_record_mac: the alert comes after the first MAX_SHOWN_RECORDS records.
    const recordsOfData = MAX_SHOWN_RECORDS + 2;
    const run = await runWithLateAlert({
      dataRecords: recordsOfData,
      breakRecord: recordsOfData,
      seed: 'late alert',
    });
    expect(run.alert?.name).toBe('bad_record_mac');
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-late-alert-')), 'late-alert.pcapng');
    writeFileSync(file, runPcapng(run as unknown as HandshakeRun, 1_700_000_000_000));

    const io = memoryIo();
    const code = await main(['handshake', '--pcap', file, '--json'], io);
    const cli = JSON.parse(io.stdout()) as { eventLog: { kind: string }[] };
    const reread = (text: string) => {
      const r = parseCapture(text);
      if (!r.ok) throw new Error(describeCaptureError(r.error));
      return r.run.eventLog;
    };
    expect(code).toBe(PCAP_EXIT.alert);
    expect(cli.eventLog.filter((e) => e.kind === 'record').length).toBeGreaterThan(MAX_SHOWN_RECORDS);

    const opened = openFileBytes(file, new Uint8Array(readFileSync(file)));
    if (opened.kind !== 'capture' || !opened.capture) throw new Error('the lab did not open the capture');
    const lab = await importConnection(opened.capture, opened.choices[0]!.index);
    expect(lab.recordsInConnection).toBeGreaterThan(MAX_SHOWN_RECORDS);
    expect(lab.run.ok).toBe(false);
    expect(lab.run.alert?.name).toBe('bad_record_mac');
    expect(alertShown(lab.run)).toBe(false);
    expect(alertShown({ ...lab.run, eventLog: reread(io.stdout()) })).toBe(true);
    // The handshake completed before the alert: both say the alert ended the connection, not the handshake.
    expect(alertAfterHandshake(lab.run)).toBe(true);
    // The import carries the whole connection's verdict for an alert past the records shown (fatalAlertOf over all of
    // them): here bad_record_mac answers the client's data, after the handshake.
    expect(lab.alertAfterHandshake).toBe(true);
    expect(alertAfterHandshake(lab.run, lab.alertAfterHandshake)).toBe(true);
    const text = memoryIo();
    await main(['handshake', '--pcap', file], text);
    expect(text.stdout().split('\n')[0]).toMatch(
      /^HANDSHAKE COMPLETE: .*; then the server sent fatal alert bad_record_mac \(20\)/,
    );
  });

  it("a TLS 1.3 server's refusal of the client's certificate after 150 of its records: failed, in the CLI and the lab", async () => {
    // A review found the lab saying "Handshake complete, then a fatal alert" (the alert past the 100 records shown),
    // where the CLI said HANDSHAKE FAILED, as s_server's "certificate verify failed" means.
    const file = 'fixtures/pcap/tls13-refused-after-data-lo.pcap';
    const keys = 'fixtures/pcap/tls13-refused-after-data.keys.log';
    const text = memoryIo();
    const code = await main(['handshake', '--pcap', file, '--keylog', keys], text);
    expect(code).toBe(PCAP_EXIT.alert);
    expect(text.stdout().split('\n')[0]).toMatch(
      /^HANDSHAKE FAILED: the server sent fatal alert unknown_ca \(48\)/,
    );
    const opened = openFileBytes(file, new Uint8Array(readFileSync(file)));
    if (opened.kind !== 'capture' || !opened.capture) throw new Error('the lab did not open the capture');
    const lab = await importConnection(opened.capture, opened.choices[0]!.index, {
      name: keys,
      text: readFileSync(keys, 'utf8'),
    });
    expect(lab.recordsInConnection).toBeGreaterThan(MAX_SHOWN_RECORDS);
    expect(alertShown(lab.run)).toBe(false);
    expect(lab.alertAfterHandshake).toBe(false);
    expect(alertAfterHandshake(lab.run, lab.alertAfterHandshake)).toBe(false);
  });

  it("real libpq 18's client certificate refused by PostgreSQL: unknown_ca after its StartupMessage, failed in the CLI and the lab", async () => {
    // libpq sends its StartupMessage right after its Finished; PostgreSQL's refusal comes after it, and psql prints
    // "SSL error: tlsv1 alert unknown ca" (the recipe checks it): a failed handshake, not one completed.
    const file = 'fixtures/pcap/libpq18-client-cert-rejected-lo.pcap';
    const keys = 'fixtures/pcap/libpq18-client-cert-rejected.keys.log';
    const text = memoryIo();
    expect(await main(['handshake', '--pcap', file, '--keylog', keys], text)).toBe(PCAP_EXIT.alert);
    expect(text.stdout().split('\n')[0]).toMatch(
      /^HANDSHAKE FAILED: the server sent fatal alert unknown_ca \(48\); TLSv1\.3, /,
    );
    expect(text.stdout()).toMatch(
      /C -> S {2}PostgreSQL StartupMessage \[in TLS\]\n {2}S -> C {2}alert unknown_ca/,
    );
    const opened = openFileBytes(file, new Uint8Array(readFileSync(file)));
    if (opened.kind !== 'capture' || !opened.capture) throw new Error('the lab did not open the capture');
    const lab = await importConnection(opened.capture, opened.choices[0]!.index, {
      name: keys,
      text: readFileSync(keys, 'utf8'),
    });
    expect(lab.run.ok).toBe(false);
    expect(lab.run.alert?.name).toBe('unknown_ca');
    expect(alertShown(lab.run)).toBe(true);
    expect(alertAfterHandshake(lab.run, lab.alertAfterHandshake)).toBe(false);
  });
});
