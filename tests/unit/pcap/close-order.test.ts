/**
 * The TCP ending synthesizeConversation draws: the client's FIN first by default; with `serverClosed`, the server's
 * FIN where it came among the chunks (a PostgreSQL 15 that closes a direct-TLS attempt before our alert arrives),
 * its sequence number after the server's last byte, and the client's later bytes still read from the file.
 */
import { describe, expect, it } from 'vitest';
import { openCapture, synthesizeConversation, type IpPacket } from '../../../src/lib/pcap/index.ts';
import { chunk, pcapFile, raw, stream } from './build.ts';

const ends = {
  client: { address: '192.0.2.1', port: 50000 },
  server: { address: '192.0.2.2', port: 5432 },
};
const chunks = [chunk('client', 0, 'hello'), chunk('server', 0, 'bye'), chunk('client', 5, 'alert')];

/** Each packet as "from flags payload-length" (IPv4, no options: TCP flags at byte 33, payload after 40 bytes). */
const shape = (packets: IpPacket[]) =>
  packets.map((p) => {
    const flags = p.bytes[33]!;
    const fin = flags & 0x01 ? 'FIN' : flags & 0x02 ? 'SYN' : 'ACK';
    return `${p.fromClient ? 'C' : 'S'} ${fin} ${p.bytes.length - 40}`;
  });

describe('the TCP ending of a synthesised conversation', () => {
  it('the client closes first by default', () => {
    expect(shape(synthesizeConversation({ ...ends, chunks })).slice(-3)).toEqual([
      'C FIN 0',
      'S FIN 0',
      'C ACK 0',
    ]);
  });

  it("the server's FIN where it came, before the client's last bytes; the client's FIN and the server's ACK after", () => {
    const packets = synthesizeConversation({
      ...ends,
      chunks,
      serverClosed: { afterChunks: 2, time: 1_700_000_000_000 },
    });
    expect(shape(packets).slice(3)).toEqual([
      'C ACK 5',
      'S ACK 3',
      'S FIN 0',
      'C ACK 5',
      'C FIN 0',
      'S ACK 0',
    ]);
    // Our reader follows both streams through it.
    const [c] = openCapture(pcapFile(228, raw(packets))).connections;
    expect(c && 'chunks' in c && [stream(c.chunks, 'client'), stream(c.chunks, 'server')]).toEqual([
      'helloalert',
      'bye',
    ]);
  });
});
