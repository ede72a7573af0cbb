/**
 * `--pcap-out`'s recorder: the bytes each side put on the socket, with stream offsets in the order they happened;
 * bytes pushed back with `unshift` are not counted twice; the socket's real ends, or the documented placeholders
 * when Node does not know them. A fake socket (an EventEmitter), no network.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  endpointsOf,
  PLACEHOLDER_CLIENT,
  PLACEHOLDER_SERVER_ADDRESS,
  recordedPcapng,
  WireRecorder,
} from '../../../src/cli/wire-recorder.ts';
import { openCapture } from '../../../src/lib/pcap/index.ts';

type Socket = Parameters<typeof endpointsOf>[0];

const text = (s: string) => new TextEncoder().encode(s);

describe('WireRecorder', () => {
  it('keeps both directions in order with their own offsets, and skips bytes read again after unshift', () => {
    let now = 1000;
    const recorder = new WireRecorder(() => now++);
    const socket = new EventEmitter() as unknown as Socket;
    recorder.listen(socket);
    recorder.record('client', text('ping'));
    socket.emit('data', Buffer.from('SXYZ'));
    recorder.unread(3); // "XYZ" went back into the socket
    socket.emit('data', Buffer.from('XYZ!'));
    recorder.record('client', text('pong'));
    recorder.record('client', new Uint8Array(0));
    expect(recorder.chunks.map((c) => [c.from, new TextDecoder().decode(c.bytes), c.offset, c.time])).toEqual(
      [
        ['client', 'ping', 0, 1000],
        ['server', 'SXYZ', 0, 1001],
        ['server', '!', 4, 1002],
        ['client', 'pong', 4, 1003],
      ],
    );
  });

  it('its pcapng opens as one connection with the same two streams and the key log', () => {
    const recorder = new WireRecorder(() => 1_700_000_000_000);
    recorder.record('client', text('hello'));
    recorder.record('server', text('world!'));
    const ends = {
      client: { address: '127.0.0.1', port: 40000 },
      server: { address: '127.0.0.1', port: 5432 },
    };
    const opened = openCapture(
      recordedPcapng(recorder, ends, `CLIENT_RANDOM ${'00'.repeat(32)} ${'11'.repeat(48)}`),
    );
    expect(opened.keyLog).toMatch(/^CLIENT_RANDOM 0{64} (11){48}\n?$/);
    expect(opened.connections).toHaveLength(1);
    const c = opened.connections[0]!;
    expect([c.client, c.server]).toEqual([ends.client, ends.server]);
    expect(c.chunks.map((k) => [k.from, new TextDecoder().decode(k.bytes)])).toEqual([
      ['client', 'hello'],
      ['server', 'world!'],
    ]);
  });
});

describe('endpointsOf', () => {
  const fake = (o: Partial<Socket>) => o as Socket;
  it('the socket’s own addresses and ports', () => {
    expect(
      endpointsOf(
        fake({ localAddress: '::1', localPort: 50000, remoteAddress: '::1', remotePort: 8443 }),
        8443,
      ),
    ).toEqual({ client: { address: '::1', port: 50000 }, server: { address: '::1', port: 8443 } });
  });
  it.each([
    ['unknown addresses', {}],
    ['mixed IP versions', { localAddress: '::1', localPort: 1, remoteAddress: '127.0.0.1', remotePort: 2 }],
  ])('%s: the documented placeholders, with the port dialled', (_name, o) => {
    expect(endpointsOf(fake(o), 5432)).toEqual({
      client: PLACEHOLDER_CLIENT,
      server: { address: PLACEHOLDER_SERVER_ADDRESS, port: 5432 },
    });
    expect(PLACEHOLDER_CLIENT).toEqual({ address: '192.0.2.1', port: 49152 });
  });
});
