/**
 * Opening capture files in the Handshake Lab (src/app/model/handshake/import.ts), on the real captures of
 * fixtures/pcap (tcpdump, dumpcap, editcap; see its README) and The Illustrated TLS 1.2 capture: which
 * connections are offered, the key log used (the user's file, else the pcapng's Decryption Secrets Block),
 * the decryption report, bad files, and a run written back as pcapng and read again by our own reader.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  choiceFacts,
  filterChoices,
  firstRecords,
  importConnection,
  keyLogReport,
  looksLikeJson,
  MAX_SHOWN_RECORDS,
  notVerifiedText,
  openFileBytes,
  runKeyLog,
  runPcapng,
  wireChunks,
} from '../../../src/app/model/handshake/import.ts';
import { captureSettings, outcomeLine } from '../../../src/app/model/handshake/capture.ts';
import { isTls13Run } from '../../../src/app/model/handshake/steps.ts';
import { messageTitle } from '../../../src/lib/tls12/index.ts';
import { keyNodes, keyScheduleView } from '../../../src/app/model/handshake/key-schedule.ts';
import { tls13MessageExplanations } from '../../../src/content/tls13/messages.ts';
import { CAPTURE_HELP } from '../../../src/content/handshake/capture-import.ts';
import {
  CAPTURE_KEY_LOG_NAME,
  ethernetFrame,
  openCapture,
  synthesizeConversation,
  writeConnectionPcapng,
  writePcapng,
  type OpenedCapture,
  type StreamChunk,
} from '../../../src/lib/pcap/index.ts';
import type { EventLog } from '../../../src/lib/tls12/index.ts';

const file = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const text = (path: string): string => readFileSync(path, 'utf8');
const TLS12_KEYS = { name: 'tls12.keys.log', text: text('fixtures/pcap/tls12.keys.log') };
const ILLUSTRATED = 'fixtures/tls12-vectors/illustrated-tls12/';

function opened(name: string, bytes: Uint8Array): OpenedCapture {
  const r = openFileBytes(name, bytes);
  if (r.kind !== 'capture' || !r.capture) throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.capture;
}

describe('openFileBytes', () => {
  it('offers the one TLS connection of a tcpdump capture, with its addresses, SNI and kind', () => {
    const r = openFileBytes('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap'));
    expect(r.kind).toBe('capture');
    if (r.kind !== 'capture') return;
    expect(r).toMatchObject({ format: 'pcap', packets: 18, tcpConnections: 1, keyLogInFile: false });
    expect(r.choices).toHaveLength(1);
    const facts = choiceFacts(r.choices[0]!);
    expect(facts[0]).toMatch(/^127\.0\.0\.1:\d+ → 127\.0\.0\.1:44312$/);
    expect(facts).toContain('TLS');
    expect(facts).toContain('SNI localhost');
    expect(facts.some((f) => /^first packet \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/.test(f))).toBe(true);
  });

  it('says a pcapng with a Decryption Secrets Block carries its key log', () => {
    const r = openFileBytes('tls12-dsb.pcapng', file('fixtures/pcap/tls12-dsb.pcapng'));
    expect(r).toMatchObject({ kind: 'capture', format: 'pcapng', keyLogInFile: true });
  });

  it('names PostgreSQL framing and IPv6 endpoints in brackets', () => {
    const pg = openFileBytes('psql.pcap', file('fixtures/pcap/psql-require-lo.pcap'));
    expect(pg.kind === 'capture' && choiceFacts(pg.choices[0]!)).toContain('PostgreSQL SSLRequest, then TLS');
    const v6 = openFileBytes('capture.pcap', file(`${ILLUSTRATED}capture.pcap`));
    expect(v6.kind === 'capture' && choiceFacts(v6.choices[0]!)[0]).toMatch(/^\[::1\]:\d+ → \[::1\]:8443$/);
  });

  it('reports a truncated capture with what and where (the PcapError), and garbage as not a capture', () => {
    const whole = file('fixtures/pcap/tls12-lo.pcap');
    const cut = openFileBytes('cut.pcap', whole.subarray(0, 10));
    expect(cut).toEqual({
      kind: 'error',
      name: 'cut.pcap',
      message: expect.stringMatching(/^cut\.pcap could not be opened: .*offset \d+\)$/),
    });
    const garbage = openFileBytes('x.bin', new TextEncoder().encode('hello world, not a capture'));
    expect(garbage.kind === 'error' && garbage.message).toBe(
      'x.bin could not be opened: not a pcap or pcapng file: unknown magic number (offset 0)',
    );
  });

  it('numbers the TLS connections as the CLI does (--stream N), past a connection that is not TLS', () => {
    const tls = openCapture(file('fixtures/pcap/tls12-lo.pcap')).connections[0]!;
    const plain: StreamChunk[] = [
      { from: 'client', bytes: new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'), offset: 0, time: 1 },
    ];
    const frames = [
      ...synthesizeConversation({
        client: { ...tls.client, port: 40000 },
        server: tls.server,
        chunks: plain,
      }),
      ...synthesizeConversation({ client: tls.client, server: tls.server, chunks: tls.chunks }),
    ].map((p) => ({ time: p.time, frame: ethernetFrame(p, p.fromClient) }));
    const r = openFileBytes('mixed.pcapng', writePcapng(frames));
    if (r.kind !== 'capture') throw new Error(JSON.stringify(r));
    expect(r.tcpConnections).toBe(2);
    expect(r.choices.map((c) => [c.index, c.stream])).toEqual([[1, 1]]);
  });

  it('says what a capture without TLS held', () => {
    // The same capture with the first byte of each segment's TLS data (a record's content type) changed to
    // 0x99: still one TCP connection, no longer TLS.
    const c = openCapture(file('fixtures/pcap/tls12-lo.pcap'));
    const bytes = file('fixtures/pcap/tls12-lo.pcap');
    for (const k of c.connections[0]!.chunks) {
      const at = findSubarray(bytes, k.bytes.subarray(0, 16));
      if (at >= 0) bytes[at] = 0x99;
    }
    const r = openFileBytes('plain.pcap', bytes);
    expect(r.kind === 'error' && r.message).toMatch(
      /^plain\.pcap holds no TLS \(18 packets, 1 TCP connection\): no connection starts with a TLS record or PostgreSQL's SSLRequest\.$/,
    );
  });

  it('opens tls-lab JSON as before and tells JSON from a capture by its first bytes', () => {
    const json = text('fixtures/captures/openssl-s-server-rsa.json');
    const r = openFileBytes('c.json', new TextEncoder().encode(json));
    expect(r.kind).toBe('json');
    expect(looksLikeJson(new TextEncoder().encode('  [1]'))).toBe(true);
    expect(looksLikeJson(file('fixtures/pcap/tls12-lo.pcapng').subarray(0, 64))).toBe(false);
    const bad = openFileBytes('c.json', new TextEncoder().encode(json.slice(0, 100)));
    expect(bad.kind === 'error' && bad.message).toMatch(
      /^c\.json is not a tls-lab capture because it is not JSON/,
    );
  });
});

function findSubarray(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('importConnection', () => {
  it('decrypts every record of the tcpdump capture with its key log file', async () => {
    const c = opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap'));
    const r = await importConnection(c, 0, TLS12_KEYS);
    expect(r.decryption).toMatchObject({
      status: 'decrypted',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    expect(r.keyLog).toEqual({ used: ['tls12.keys.log'], unreadable: [] });
    expect(r.run.ok).toBe(true);
    const records = r.run.eventLog.filter((e) => e.kind === 'record');
    expect(records.filter((e) => e.kind === 'record' && e.encrypted && !e.plaintext)).toEqual([]);
    expect(keyLogReport(r)).toMatchObject({
      tone: 'ok',
      clear: expect.stringMatching(/ 0 still encrypted\.$/),
    });
  });

  it("uses the pcapng's own key log when no file is given", async () => {
    const r = await importConnection(opened('d.pcapng', file('fixtures/pcap/tls12-dsb.pcapng')), 0);
    expect(r.keyLog).toEqual({ used: [CAPTURE_KEY_LOG_NAME], unreadable: [] });
    expect(r.decryption.status).toBe('decrypted');
  });

  it("reads with the capture's own key log and the file together, as the CLI does; a file that is no key log is named", async () => {
    const dsb = opened('d.pcapng', file('fixtures/pcap/tls12-dsb.pcapng'));
    const both = await importConnection(dsb, 0, {
      name: 'other.log',
      text: 'CLIENT_RANDOM ' + '00'.repeat(32) + ' ' + '11'.repeat(48),
    });
    expect(both.keyLog).toEqual({ used: [CAPTURE_KEY_LOG_NAME, 'other.log'], unreadable: [] });
    expect(both.decryption.status).toBe('decrypted');
    const bad = await importConnection(dsb, 0, { name: 'notes.txt', text: 'hello' });
    expect(bad.keyLog.used).toEqual([CAPTURE_KEY_LOG_NAME]);
    expect(bad.keyLog.unreadable).toEqual([{ name: 'notes.txt', reason: expect.stringMatching(/line 1/) }]);
    expect(bad.decryption.status).toBe('decrypted');
    expect(keyLogReport(bad).source).toMatch(/notes\.txt is not an NSS key log \(.*line 1/);
    const alone = await importConnection(opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap')), 0, {
      name: 'notes.txt',
      text: 'hello',
    });
    expect(alone.decryption.status).toBe('key-log-unreadable');
  });

  it('without keys: the clear records are shown and the key log line that would open the rest is named', async () => {
    const r = await importConnection(opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap')), 0);
    expect(r.decryption.status).toBe('no-key-log');
    const line = TLS12_KEYS.text.split('\n').find((l) => l.startsWith('CLIENT_RANDOM'))!;
    const random = line.split(' ')[1]!;
    expect(r.decryptionSummary.toLowerCase()).toContain(`client_random ${random}`.toLowerCase());
    expect(keyLogReport(r).tone).toBe('info');
    // Not called complete: the words say why by the report's status, and say so without a report.
    expect(r.run.ok).toBe(false);
    expect(notVerifiedText(r)).toBe(CAPTURE_HELP.notVerified);
    const mismatch = { ...r, decryption: { ...r.decryption, status: 'finished-mismatch' as const } };
    expect(notVerifiedText(mismatch)).toBe(CAPTURE_HELP.finishedMismatch);
    expect(notVerifiedText(undefined)).toBe(CAPTURE_HELP.noReport);
  });

  it('a key log for another connection is reported as not matching', async () => {
    const r = await importConnection(opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap')), 0, {
      name: 'keylog.txt',
      text: text(`${ILLUSTRATED}keylog.txt`),
    });
    expect(r.decryption).toMatchObject({ status: 'no-matching-line', clientRandomLines: 1 });
    expect(keyLogReport(r).tone).toBe('bad');
  });

  it('The Illustrated TLS 1.2 capture opens decrypted with its key log', async () => {
    const r = await importConnection(opened('capture.pcap', file(`${ILLUSTRATED}capture.pcap`)), 0, {
      name: 'keylog.txt',
      text: text(`${ILLUSTRATED}keylog.txt`),
    });
    expect(r.decryption.status).toBe('decrypted');
  });
});

describe('runPcapng', () => {
  it('writes a run as pcapng our reader opens again: same streams, key log in the file', async () => {
    const c = opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap'));
    const r = await importConnection(c, 0, TLS12_KEYS);
    const again = openCapture(runPcapng(r.run, 1_700_000_000_000));
    expect(again.keyLog?.trim().split(' ')[0]).toBe('CLIENT_RANDOM');
    const conn = again.connections[0]!;
    expect(conn.server).toEqual({ address: '192.0.2.2', port: 443 });
    const joined = (from: 'client' | 'server', chunks: { from: string; bytes: Uint8Array }[]) =>
      Buffer.concat(chunks.filter((k) => k.from === from).map((k) => k.bytes)).toString('hex');
    for (const side of ['client', 'server'] as const)
      expect(joined(side, conn.chunks)).toBe(joined(side, c.connections[0]!.chunks));
    const reread = await importConnection(again, 0);
    expect(reread.decryption.status).toBe('decrypted');
  });

  it('PostgreSQL framing in the clear is part of the stream, on port 5432', async () => {
    const c = opened('psql.pcap', file('fixtures/pcap/psql-require-lo.pcap'));
    const r = await importConnection(c, 0);
    expect(wireChunks(r.run.eventLog)[0]?.bytes).toEqual(Uint8Array.of(0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f));
    const again = openCapture(runPcapng(r.run, 0));
    expect(again.connections[0]).toMatchObject({ kind: 'postgres-ssl', server: { port: 5432 } });
    expect(again.keyLog).toBeUndefined();
  });
});

describe('filterChoices', () => {
  const base = openFileBytes('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap'));
  const one = base.kind === 'capture' ? base.choices[0]! : undefined;
  const many = Array.from({ length: 120 }, (_, i) => ({
    ...one!,
    index: i,
    client: { address: '10.0.0.1', port: 40000 + i },
    ...(i === 77 ? { sni: 'db.example.com' } : {}),
  }));

  it('lists the first PICKER_LIMIT and counts every match', () => {
    const all = filterChoices(many, '');
    expect(all.matching).toBe(120);
    expect(all.shown.map((c) => c.index)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('finds a connection by SNI or by port, every word counting', () => {
    expect(filterChoices(many, 'DB.example').shown.map((c) => c.index)).toEqual([77]);
    expect(filterChoices(many, ':40119 tls').shown.map((c) => c.index)).toEqual([119]);
    expect(filterChoices(many, ':40119 postgresql').matching).toBe(0);
  });
});

describe('runKeyLog', () => {
  it("a run without a summary takes its key log line from its master_secret entry and the ClientHello's random", async () => {
    const c = opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap'));
    const r = await importConnection(c, 0, TLS12_KEYS);
    const line = TLS12_KEYS.text.split('\n').find((l) => l.startsWith('CLIENT_RANDOM'))!;
    expect(runKeyLog(r.run)).toBe(line);
    const { summary: _summary, ...failed } = r.run;
    expect(runKeyLog(failed)).toBe(line);
    expect(
      runKeyLog({ ...failed, eventLog: failed.eventLog.filter((e) => e.kind !== 'secret') }),
    ).toBeUndefined();
  });
});

describe('a connection with more records than the lab draws', () => {
  it(`shows the first ${MAX_SHOWN_RECORDS} records and says how many the connection has`, async () => {
    // The real session's handshake, then 500 server records of opaque application data (no key log).
    const c = openCapture(file('fixtures/pcap/tls12-lo.pcap')).connections[0]!;
    const chunks = c.chunks.slice(0, -2);
    let offset = chunks
      .filter((k) => k.from === 'server')
      .reduce((n, k) => Math.max(n, k.offset + k.bytes.length), 0);
    const record = new Uint8Array(5 + 100);
    record.set([0x17, 3, 3, 0, 100]);
    for (let i = 0; i < 500; i++) {
      chunks.push({ from: 'server', bytes: record, offset, time: c.firstTime + i });
      offset += record.length;
    }
    const big = openCapture(writeConnectionPcapng({ client: c.client, server: c.server, chunks }));
    const r = await importConnection(big, 0);
    const shown = r.run.eventLog.filter((e) => e.kind === 'record');
    expect(shown).toHaveLength(MAX_SHOWN_RECORDS);
    const inConnection = c.chunks.length - 2 + 500;
    expect(r.recordsInConnection).toBeGreaterThanOrEqual(inConnection);
    expect(keyLogReport(r).clear).toContain(
      `The connection has ${r.recordsInConnection} records; the lab shows the first ${MAX_SHOWN_RECORDS}`,
    );
    // A connection within the limit is shown whole and says nothing of it.
    const whole = await importConnection(opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap')), 0);
    expect(whole.recordsInConnection).toBeUndefined();
  });

  it('firstRecords keeps the entries that follow the last record kept', () => {
    const log = [
      { kind: 'record', n: 1 },
      { kind: 'message', n: 2 },
      { kind: 'record', n: 3 },
      { kind: 'application_data', n: 4 },
      { kind: 'record', n: 5 },
      { kind: 'alert', n: 6 },
    ] as unknown as EventLog;
    expect(firstRecords(log, 2)).toEqual({ eventLog: log.slice(0, 4), records: 3 });
    expect(firstRecords(log, 3)).toEqual({ eventLog: log, records: 3 });
  });
});

describe('how a TLS 1.3 capture was made', () => {
  it("reads the versions from supported_versions, not the legacy fields (psql's capture: 1.3 chosen)", async () => {
    const r = await importConnection(opened('psql.pcap', file('fixtures/pcap/psql-require-lo.pcap')), 0);
    const settings = Object.fromEntries(captureSettings(r.run.eventLog).map((s) => [s.name, s.value]));
    expect(settings['Client versions']).toBe('TLSv1.3, TLSv1.2');
    expect(settings['Server chose']).toBe('TLSv1.3, TLS_AES_256_GCM_SHA384');
    expect(settings['Client maximum version']).toBeUndefined();
  });

  it('keeps the legacy version where there is no supported_versions (a TLS 1.2 capture)', async () => {
    const r = await importConnection(
      opened('tls12-lo.pcap', file('fixtures/pcap/tls12-lo.pcap')),
      0,
      TLS12_KEYS,
    );
    const settings = Object.fromEntries(captureSettings(r.run.eventLog).map((s) => [s.name, s.value]));
    expect(settings['Server chose']).toMatch(/^TLSv1\.2, /);
  });
});

describe('a TLS 1.3 run exports its own key log and says no word of extended master secret', () => {
  it("the imported connection's key log is OpenSSL's: four traffic secret lines and the exporter secret", async () => {
    const keys = text('fixtures/pcap/tls13.keys.log');
    const r = await importConnection(opened('tls13-lo.pcap', file('fixtures/pcap/tls13-lo.pcap')), 0, {
      name: 'tls13.keys.log',
      text: keys,
    });
    expect(r.decryption).toMatchObject({ status: 'decrypted', version: 'TLSv1.3' });
    const exported = runKeyLog(r.run)!.split('\n');
    const wanted = keys
      .split('\n')
      .filter((l) => /^((CLIENT|SERVER)_(HANDSHAKE_)?TRAFFIC_SECRET(_0)?|EXPORTER_SECRET)\s/.test(l));
    expect(exported.length).toBe(5);
    expect([...exported].sort()).toEqual([...wanted].sort());
    // The key schedule diagram knows the exporter secret from its key log line.
    const exporter = keyNodes(keyScheduleView(r.run.eventLog)).find(
      (n) => n.name === 'exporter_master_secret',
    );
    expect(exporter?.entry?.formula).toMatch(/^the key log's line \d+ of tls13\.keys\.log: EXPORTER_SECRET /);
    expect(outcomeLine(r.run.summary!)).toMatch(
      /^TLSv1\.3, TLS_AES_\d+_GCM_SHA\d+, x25519, signed with \w+\.$/,
    );
    const settings = captureSettings(r.run.eventLog).map((s) => s.name);
    expect(settings).not.toContain('Extended master secret');
  });

  it('a TLS 1.3 capture, with or without its key log: a 1.3 run whose hellos are 1.3 messages (a review found the 1.2 texts on them)', async () => {
    for (const keyLog of [
      undefined,
      { name: 'k', text: text('fixtures/pcap/tls13-hrr-keyupdate.keys.log') },
    ]) {
      const r = await importConnection(
        opened('hrr.pcap', file('fixtures/pcap/tls13-hrr-keyupdate-lo.pcap')),
        0,
        keyLog,
      );
      expect(isTls13Run(r.run.eventLog)).toBe(true);
      const hellos = r.run.eventLog.flatMap((e) =>
        e.kind === 'message' && /hello/.test(e.name) && !e.encrypted ? [e] : [],
      );
      expect(hellos.map((e) => e.name)).toEqual([
        'client_hello',
        'hello_retry_request',
        'client_hello',
        'server_hello',
      ]);
      for (const e of hellos) {
        expect(e.message13, e.id).toBeDefined();
        // StepDetail explains a message with the 1.3 texts when it has a 1.3 decoding: the ids are 1.3's.
        const ids = e.spans.flatMap((s) => s.children ?? []).map((s) => s.id);
        expect(ids, e.id).toContain(
          `${e.name === 'client_hello' ? 'client' : 'server'}_hello.legacy_version`,
        );
      }
    }
  });

  it('every encrypted 1.3 message shown has a TLS 1.3 explanation citing RFC 8446, and a title', async () => {
    const r = await importConnection(
      opened('hrr.pcap', file('fixtures/pcap/tls13-hrr-keyupdate-lo.pcap')),
      0,
      {
        name: 'k',
        text: text('fixtures/pcap/tls13-hrr-keyupdate.keys.log'),
      },
    );
    expect(isTls13Run(r.run.eventLog)).toBe(true);
    const names = new Set(
      r.run.eventLog.flatMap((e) => (e.kind === 'message' && e.message13 ? [e.name] : [])),
    );
    expect([...names]).toEqual(expect.arrayContaining(['encrypted_extensions', 'certificate', 'key_update']));
    for (const name of names) {
      expect(tls13MessageExplanations[name]?.rfc, name).toMatch(/^RFC 8446 /);
      expect(messageTitle(name), name).not.toBe(name);
    }
  });
});
