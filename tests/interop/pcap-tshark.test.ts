/**
 * Real tshark reads the pcapng our writer makes from a real capture's connection (fixtures/pcap, openssl
 * s_client/s_server) with that capture's key log in a Decryption Secrets Block, and, with no key log argument
 * and an empty Wireshark profile, shows the decrypted handshake (both Finished messages) and the application
 * data in both directions. The same file without the key log shows neither: the DSB is what decrypts. What our
 * observer says of a renegotiated connection (which key log line opens the second handshake) is what tshark does, and
 * of two key log lines for the same secret it uses the one tshark uses.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  keyLogSources,
  observedItems,
  observeInCapture,
  openCapture,
  tlsConnections,
  writeConnectionPcapng,
  type TcpConnection,
} from '../../src/lib/pcap/index.ts';
import { observeConnection } from '../../src/lib/tls12/index.ts';
import { tsharkWithNoSettings } from '../kit/programs/tshark.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pcap-'));
const run = tsharkWithNoSettings();

describe.each(['tls12', 'tls13'])(
  'tshark decrypts our pcapng of the %s session with no settings',
  (session) => {
    const source = openCapture(new Uint8Array(readFileSync(`fixtures/pcap/${session}-lo.pcapng`)));
    const keyLog = readFileSync(`fixtures/pcap/${session}.keys.log`, 'utf8');
    const c = source.connections[0] as TcpConnection;
    const write = (name: string, withKeys: boolean): string => {
      const path = join(dir, `${session}-${name}.pcapng`);
      const bytes = writeConnectionPcapng({
        client: c.client,
        server: c.server,
        chunks: c.chunks,
        mss: 200,
        ...(withKeys ? { keyLog } : {}),
      });
      writeFileSync(path, bytes);
      return path;
    };
    const withKeys = write('keys', true);
    const without = write('nokeys', false);

    it('shows both Finished messages (handshake type 20) only when the key log is in the file', () => {
      const finished = (file: string) =>
        run(file, '-Y', 'tls.handshake.type == 20', '-T', 'fields', '-e', 'ip.src', '-e', 'tcp.srcport')
          .trim()
          .split('\n')
          .filter(Boolean);
      const seen = finished(withKeys);
      expect(new Set(seen.map((l) => l.split('\t')[1]))).toEqual(
        new Set([String(c.client.port), String(c.server.port)]),
      );
      expect(finished(without)).toEqual([]);
    });

    it('shows the application data decrypted in both directions', () => {
      const follow = run(withKeys, '-q', '-z', 'follow,tls,ascii,0');
      expect(follow).toContain('hello, capture');
      expect(follow).toContain('erutpac ,olleh');
      expect(run(without, '-q', '-z', 'follow,tls,ascii,0')).not.toContain('hello, capture');
    });

    it('finds nothing wrong with the TCP conversation or the checksums', () => {
      const fields = run(
        withKeys,
        '-o',
        'tcp.check_checksum:TRUE',
        '-o',
        'ip.check_checksum:TRUE',
        '-T',
        'fields',
        '-e',
        'tcp.checksum.status',
        '-e',
        'ip.checksum.status',
      );
      const lines = fields.trim().split('\n');
      expect(lines.length).toBeGreaterThan(10);
      // Wireshark's checksum status 1 = Good.
      expect(new Set(lines)).toEqual(new Set(['1\t1']));
      expect(run(withKeys, '-Y', 'tcp.analysis.flags || _ws.expert.severity >= warning').trim()).toBe('');
    });
  },
);

describe.each(['tls12', 'tls13'])(
  'two key log lines for the same secret (%s): our observer uses the one tshark uses',
  (session) => {
    const good = readFileSync(`fixtures/pcap/${session}.keys.log`, 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z]/.test(l));
    // The same labels and client random, every secret replaced by zeros of its length.
    const bad = good.map((l) => {
      const [label, random, secret] = l.split(' ') as [string, string, string];
      return `${label} ${random} ${'0'.repeat(secret.length)}`;
    });
    const file = (lines: string[], name: string) => {
      const path = join(dir, `${session}-${name}.keys.log`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    /** Whether tshark decrypts anything (a "Decrypted TLS" data source) with this capture and key log file. */
    const tsharkDecrypts = (capture: string, keyLogFile: string) =>
      run(capture, '-o', `tls.keylog_file:${keyLogFile}`, '-x').includes('Decrypted TLS');
    /** Our observer on the capture's first connection, with its own key log (if any) and then the file, as the CLI. */
    const ours = async (capture: string, keyLogFile: string) => {
      const opened = openCapture(new Uint8Array(readFileSync(capture)));
      const { sources } = keyLogSources(opened.keyLog, {
        name: keyLogFile,
        text: readFileSync(keyLogFile, 'utf8'),
      });
      const seen = await observeConnection(observedItems(opened.connections[0] as TcpConnection), {
        keyLog: sources.flatMap((s) => s.entries),
      });
      return seen.decryption.status;
    };
    const pcap = `fixtures/pcap/${session}-lo.pcap`;
    const dsb = `fixtures/pcap/${session}-dsb.pcapng`;

    it.each([
      ['a wrong line, then the right one', () => file([...bad, ...good], 'bad-first'), true],
      ['the right line, then a wrong one', () => file([...good, ...bad], 'good-first'), false],
    ])('in one file, %s', async (_, make, opens) => {
      const keys = make();
      expect(tsharkDecrypts(pcap, keys)).toBe(opens);
      expect(await ours(pcap, keys)).toBe(opens ? 'decrypted' : 'wrong-secret');
    });

    it("the capture's Decryption Secrets Block, then a file with wrong lines: the file's lines count", async () => {
      const keys = file(bad, 'bad');
      expect(tsharkDecrypts(dsb, file([], 'empty'))).toBe(true);
      expect(await ours(dsb, file([], 'empty'))).toBe('decrypted');
      expect(tsharkDecrypts(dsb, keys)).toBe(false);
      expect(await ours(dsb, keys)).toBe('wrong-secret');
    });
  },
);

describe('TLS 1.3 0-RTT (fixtures/pcap/tls13-early-lo.pcap): we open the early data tshark opens, with the same key log', () => {
  const capture = 'fixtures/pcap/tls13-early-lo.pcap';
  const keys = 'fixtures/pcap/tls13-early.keys.log';
  /** What the client sent, in order, as tshark's "follow tls" prints it for TCP stream `n` (0-based). */
  const theirs = (n: number) => {
    const follow = run(capture, '-o', `tls.keylog_file:${keys}`, '-q', '-z', `follow,tls,ascii,${n}`);
    // Node 0 (the client) lines are not indented; each block is a length line, then the data.
    const body = follow.split('\n').slice(6, -2);
    const client: string[] = [];
    for (let i = 0; i < body.length; i++) if (/^\d+$/.test(body[i]!)) client.push(body[i + 1]!);
    return client.join('\n') + '\n';
  };
  const ours = async (n: number) => {
    const opened = openCapture(new Uint8Array(readFileSync(capture)));
    const seen = await observeConnection(observedItems(opened.connections[n] as TcpConnection), {
      keyLog: readFileSync(keys, 'utf8'),
    });
    const data = seen.eventLog.flatMap((e) =>
      e.kind === 'application_data' && e.from === 'client' ? [new TextDecoder().decode(e.data)] : [],
    );
    return { seen, data: data.join('') };
  };

  it('accepted (connection 2): the early data, EndOfEarlyData and the rest, as tshark reads them', async () => {
    const eoed = run(
      capture,
      '-o',
      `tls.keylog_file:${keys}`,
      '-Y',
      'tls.handshake.type == 5',
      '-T',
      'fields',
      '-e',
      'tcp.stream',
    );
    expect(eoed.trim()).toBe('1');
    const { seen, data } = await ours(1);
    expect(data).toBe(theirs(1));
    expect(data).toBe('early hello\nsecond\n');
    expect(seen.eventLog.filter((e) => e.kind === 'message' && e.name === 'end_of_early_data')).toHaveLength(
      1,
    );
    expect(seen.decryption).toMatchObject({ status: 'decrypted', clientFinished: 'verified' });
  });

  it('rejected (connection 3): tshark and we both open the early data the server skipped', async () => {
    const { seen, data } = await ours(2);
    expect(data).toBe(theirs(2));
    expect(data).toBe('early hello\nthird\n');
    expect(seen.decryption).toMatchObject({ status: 'decrypted', clientFinished: 'verified' });
  });
});

describe.each(['tls12-resume', 'tls12-resume-ticket'])(
  'TLS 1.2 resumption with only the first connection in the key log (fixtures/pcap/%s-lo.pcap)',
  (name) => {
    it('each connection we open with the resumed session is one tshark decrypts, and the other way round', async () => {
      const capture = `fixtures/pcap/${name}-lo.pcap`;
      const keys = `fixtures/pcap/${name}.first-only.keys.log`;
      const decrypted = new Set(
        run(
          capture,
          '-o',
          `tls.keylog_file:${keys}`,
          '-Y',
          // A Finished message (handshake type 20) is readable only when the connection was decrypted.
          'tls.handshake.type == 20',
          '-T',
          'fields',
          '-e',
          'tcp.stream',
        )
          .trim()
          .split('\n'),
      );
      const opened = openCapture(new Uint8Array(readFileSync(capture)));
      const tls = tlsConnections(opened);
      expect(tls).toHaveLength(6);
      for (let i = 0; i < tls.length; i++) {
        const seen = await observeInCapture(tls, i, { keyLog: readFileSync(keys, 'utf8') });
        const ours = seen.decryption.status === 'decrypted';
        expect(ours, `connection ${i + 1}`).toBe(decrypted.has(String(i)));
        expect(ours, `connection ${i + 1}`).toBe(true);
      }
    });
  },
);

describe('a capture cut by its snap length (fixtures/pcap/tls13-lo-snap150.pcap, editcap -s 150)', () => {
  it('the packets we say were cut short are the ones tshark marks "Packet size limited during capture"', () => {
    const file = 'fixtures/pcap/tls13-lo-snap150.pcap';
    const short = run(file, '-Y', '_ws.short', '-T', 'fields', '-e', 'frame.number').trim().split('\n');
    expect(short.length).toBeGreaterThan(0);
    const opened = openCapture(new Uint8Array(readFileSync(file)));
    const cut = opened.warnings.filter((w) => w.message.startsWith("cut short by the capture's snap length"));
    expect(cut.map((w) => String(w.packet + 1))).toEqual(short);
  });
});

describe('a capture started after the handshake (fixtures/pcap/tls12-lo-after-handshake.pcap)', () => {
  it('the records we list are the TLS records tshark shows, type by type', async () => {
    const file = 'fixtures/pcap/tls12-lo-after-handshake.pcap';
    const theirs = run(file, '-Y', 'tls', '-T', 'fields', '-e', 'tls.record.content_type').trim().split('\n');
    const opened = openCapture(new Uint8Array(readFileSync(file)));
    const seen = await observeConnection(observedItems(opened.connections[0] as TcpConnection), {});
    const ours = seen.eventLog.flatMap((e) => (e.kind === 'record' ? [String(e.contentType)] : []));
    expect(ours).toEqual(theirs);
  });
});

describe('a capture begun inside a record (fixtures/pcap/tls13-bulk-lo-mid-record.pcap, editcap -r of tls13-bulk-lo.pcap)', () => {
  /**
   * Each direction's TLS records as tshark dissects them: type and length, in stream order. A TLS 1.3 record tshark
   * knows to be protected has its type as tls.record.opaque_type (after the frame's plaintext records).
   */
  const tsharkRecords = (file: string) => {
    const rows = run(
      file,
      '-2',
      '-d',
      'tcp.port==24321,tls',
      '-Y',
      'tls.record',
      '-T',
      'fields',
      '-e',
      'tcp.srcport',
      '-e',
      'tls.record.content_type',
      '-e',
      'tls.record.opaque_type',
      '-e',
      'tls.record.length',
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const out: Record<'client' | 'server', string[]> = { client: [], server: [] };
    for (const [port, plain = '', opaque = '', lengths = ''] of rows) {
      const types = [...plain.split(','), ...opaque.split(',')].filter(Boolean);
      const ls = lengths.split(',');
      types.forEach((t, j) => out[port === '24321' ? 'server' : 'client'].push(`${t}/${ls[j]}`));
    }
    return out;
  };

  it('the records we list are the ones tshark shows, direction by direction, and the ones the whole capture ends with', async () => {
    const file = 'fixtures/pcap/tls13-bulk-lo-mid-record.pcap';
    const opened = openCapture(new Uint8Array(readFileSync(file)));
    // As the CLI and the lab read it: the capture holds no SYN, so the streams may begin inside a record.
    const seen = await observeInCapture(opened.connections as TcpConnection[], 0, {});
    const ours: Record<'client' | 'server', string[]> = { client: [], server: [] };
    for (const e of seen.eventLog)
      if (e.kind === 'record') ours[e.from].push(`${e.contentType}/${e.bytes.length - 5}`);
    const theirs = tsharkRecords(file);
    expect(ours).toEqual(theirs);
    expect(ours.server.length).toBeGreaterThan(2);
    // The boundary we found is a real one: the uncut capture's server records end with exactly these.
    const whole = tsharkRecords('fixtures/pcap/tls13-bulk-lo.pcap').server;
    expect(whole.slice(whole.length - ours.server.length)).toEqual(ours.server);
    // And what we skipped is what tshark leaves outside any record: the server's payload before its first record.
    const skipped = Number(
      /first (\d+) bytes are the end of a record/.exec(seen.notes.map((n) => n.text).join('\n'))?.[1],
    );
    const payload = run(file, '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.len', '-e', 'frame.number')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'))
      .filter(([port, len]) => port === '24321' && Number(len) > 0);
    expect(skipped).toBe(Number(payload[0]![1]));
  });
});

describe('a renegotiated TLS 1.2 connection (fixtures/pcap/tls12-reneg-lo.pcap): what our report says of it is true', () => {
  it("tshark opens the second handshake's records with the key log line our observer names, and not without it", async () => {
    const keys = readFileSync('fixtures/pcap/tls12-reneg.keys.log', 'utf8');
    const source = openCapture(new Uint8Array(readFileSync('fixtures/pcap/tls12-reneg-lo.pcap')));
    const c = source.connections[0] as TcpConnection;
    const seen = await observeConnection(c.chunks, { keyLog: keys });
    if (seen.decryption.status !== 'incomplete' || !('renegotiation' in seen.decryption))
      throw new Error(`expected a renegotiation report, got ${seen.decryptionSummary}`);
    const named = seen.decryption.renegotiation!.line!;
    const lines = keys.split('\n');
    const write = (keyLog: string, name: string) => {
      const path = join(dir, `tls12-reneg-${name}.pcapng`);
      writeFileSync(
        path,
        writeConnectionPcapng({ client: c.client, server: c.server, chunks: c.chunks, keyLog }),
      );
      return path;
    };
    // Four Finished messages with both lines (two handshakes); two with the first handshake's line alone.
    const finished = (file: string) =>
      run(file, '-Y', 'tls.handshake.type == 20', '-T', 'fields', '-e', 'frame.number')
        .trim()
        .split('\n')
        .filter(Boolean);
    const first = lines.filter((_, i) => i + 1 !== named && lines[i]!.startsWith('CLIENT_RANDOM')).join('\n');
    expect(finished(write(keys, 'both'))).toHaveLength(4);
    expect(finished(write(`${first}\n`, 'first'))).toHaveLength(2);
    // The second run's application data is readable only with the named line.
    expect(run(write(keys, 'both'), '-q', '-z', 'follow,tls,ascii,0')).toContain('hello after');
    expect(run(write(`${first}\n`, 'first'), '-q', '-z', 'follow,tls,ascii,0')).not.toContain('hello after');
  });
});
