/**
 * Streams that may begin inside a record (a capture without the connection's SYN) against streams that begin at
 * their start: the record-boundary search must only ever apply to the first kind, and never reorder, lose or
 * misname what a complete capture holds. Built from fixtures/pcap/tls12-lo.pcap (tcpdump, with its SYN) and its
 * key log.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/lib/pcap/classify.ts';
import { observedItems, openCapture, type TcpConnection } from '../../../src/lib/pcap/index.ts';
import { observeConnection, type ObservedItem } from '../../../src/lib/tls12/observe.ts';
import { encodeRecord } from '../../../src/lib/tls12/wire/record.ts';
import { concatBytes } from '../../../src/lib/bytes/index.ts';

const capture = openCapture(new Uint8Array(readFileSync('fixtures/pcap/tls12-lo.pcap')));
const connection = capture.connections[0] as TcpConnection;
const keyLog = readFileSync('fixtures/pcap/tls12.keys.log', 'utf8');
/** Whether both directions are held from their first byte (their SYNs captured). */
const both = (held: boolean) => ({ client: held, server: held });

/** The connection's items with the client's first chunk split after `n` bytes, as a short first TCP segment. */
function splitFirstClientChunk(n: number): ObservedItem[] {
  const items = observedItems(connection);
  const i = items.findIndex((x) => 'bytes' in x && x.from === 'client');
  const first = items[i] as Extract<ObservedItem, { bytes: Uint8Array }>;
  return [
    ...items.slice(0, i),
    { ...first, bytes: first.bytes.subarray(0, n) },
    { ...first, offset: first.offset + n, bytes: first.bytes.subarray(n) },
    ...items.slice(i + 1),
  ];
}

describe('a short first segment', () => {
  it.each([false, true])(
    'does not change how a complete capture reads (streams may begin mid-record: %s): decrypted, both Finished verified, hello first',
    async (midStream) => {
      const seen = await observeConnection(splitFirstClientChunk(3), { keyLog, fromStart: both(!midStream) });
      expect(seen.decryption).toMatchObject({
        status: 'decrypted',
        clientFinished: 'verified',
        serverFinished: 'verified',
      });
      expect(seen.notes).toEqual([]);
      const first = seen.eventLog.find((e) => e.kind === 'message');
      expect(first?.kind === 'message' && first.name).toBe('client_hello');
    },
  );

  it('of three bytes and then nothing is a record header cut short, as before', async () => {
    const items: ObservedItem[] = [{ from: 'client', offset: 0, time: 0, bytes: Uint8Array.of(0x16, 3, 1) }];
    for (const midStream of [false, true]) {
      const seen = await observeConnection(items, { fromStart: both(!midStream) });
      expect(seen.notes.map((n) => n.text)).toEqual([
        "the client's stream ends inside a record header cut short: 3 of its 5 bytes (record at stream offset 0)",
      ]);
    }
  });
});

describe('a stream begun inside a record', () => {
  const tail = new Uint8Array(7).fill(0x99);
  const record = encodeRecord({ contentType: 23, version: 0x0303, fragment: new Uint8Array(40).fill(1) });

  it('before a hole: the whole record before the hole is read, and the skipped bytes named', async () => {
    const items: ObservedItem[] = [
      { from: 'server', offset: 0, time: 0, bytes: concatBytes(tail, record) },
      { from: 'server', offset: tail.length + record.length + 100, time: 0, bytes: record },
    ];
    const seen = await observeConnection(items, { fromStart: both(false) });
    expect(seen.eventLog.filter((e) => e.kind === 'record').length).toBe(1);
    expect(seen.notes.map((n) => n.text)).toEqual([
      "the capture starts inside a record: the server's first 7 bytes are the end of a record sent before the capture began, and its records are read from stream offset 7",
      "the capture is missing the server's bytes 52..151; decoding of this direction ends here",
    ]);
  });

  it('at the stream end, followed by a header cut short: read, and the cut header named', async () => {
    const items: ObservedItem[] = [
      { from: 'server', offset: 0, time: 0, bytes: concatBytes(tail, record, Uint8Array.of(23, 3)) },
    ];
    const seen = await observeConnection(items, { fromStart: both(false) });
    expect(seen.eventLog.filter((e) => e.kind === 'record').length).toBe(1);
    expect(seen.notes.map((n) => n.text)[1]).toBe(
      "the server's stream ends inside a record header cut short: 2 of its 5 bytes (record at stream offset 52)",
    );
  });

  it('before a hole it is not yet decided: only the hole is named, not "not TLS"', async () => {
    const items: ObservedItem[] = [
      { from: 'server', offset: 0, time: 0, bytes: new Uint8Array(40).fill(0x99) },
      { from: 'server', offset: 100, time: 0, bytes: record },
    ];
    const seen = await observeConnection(items, { fromStart: both(false) });
    expect(seen.notes.map((n) => n.text)).toEqual([
      "the capture is missing the server's bytes 40..99; decoding of this direction ends here",
    ]);
  });

  it('a stream of a few bytes that begin no record is not TLS; a few that could begin one are a header cut short', async () => {
    const few = (bytes: Uint8Array) =>
      observeConnection([{ from: 'server', offset: 0, time: 0, bytes }], {
        fromStart: both(false),
      });
    expect((await few(Uint8Array.of(0xaa, 0xbb, 0xcc))).notes.map((n) => n.text)).toEqual([
      "the server's first 3 bytes hold no TLS record that starts within a record's length of the capture's start, so they are not TLS; decoding of this direction ends here",
    ]);
    expect((await few(Uint8Array.of(23, 3, 3))).notes.map((n) => n.text)).toEqual([
      "the server's stream ends inside a record header cut short: 3 of its 5 bytes (record at stream offset 0)",
    ]);
  });

  it('is decided per direction: a client without its SYN may begin inside a record while the server is held from its start', async () => {
    const items: ObservedItem[] = [
      { from: 'client', offset: 0, time: 0, bytes: concatBytes(tail, record, record) },
      { from: 'server', offset: 0, time: 0, bytes: concatBytes(record, record) },
    ];
    const seen = await observeConnection(items, { fromStart: { client: false, server: true } });
    expect(seen.eventLog.filter((e) => e.kind === 'record').length).toBe(4);
    expect(seen.notes.map((n) => n.text)).toEqual([
      "the capture starts inside a record: the client's first 7 bytes are the end of a record sent before the capture began, and its records are read from stream offset 7",
    ]);
    expect(classify(concatBytes(tail, record, record), record, { client: false, server: true }).kind).toBe(
      'tls',
    );
    expect(classify(concatBytes(tail, record, record), record, { client: true, server: false }).kind).toBe(
      'other',
    );
  });

  it('is not looked for where the capture holds the SYN: bytes before a ClientHello are another protocol', () => {
    const connect = new TextEncoder().encode(
      'CONNECT db.example.test:5432 HTTP/1.1\r\nHost: db.example.test\r\n\r\n',
    );
    const hello = (
      observedItems(connection).find((x) => 'bytes' in x && x.from === 'client') as { bytes: Uint8Array }
    ).bytes;
    const records = concatBytes(record, record);
    expect(classify(concatBytes(connect, hello), records, both(true)).kind).toBe('other');
    expect(classify(concatBytes(tail, records), records, both(false)).kind).toBe('tls');
    expect(classify(concatBytes(tail, records), records, both(true)).kind).toBe('other');
  });
});
