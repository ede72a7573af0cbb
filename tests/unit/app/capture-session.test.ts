/**
 * The Handshake Lab worker's capture session (src/app/workers/capture-session.ts), called as the page calls it,
 * with File objects: a file too large is refused before it is read; a capture is kept for the connection to be
 * shown; a key log chosen later re-opens it; a run comes back as pcapng. Fixtures: fixtures/pcap (README).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  openCaptureFile,
  pcapngOf,
  setKeyLog,
  showConnection,
} from '../../../src/app/workers/capture-session.ts';
import { MAX_CAPTURE_BYTES } from '../../../src/app/model/handshake/import.ts';
import { CAPTURE_KEY_LOG_NAME, openCapture } from '../../../src/lib/pcap/index.ts';

const fixture = (name: string) => new File([readFileSync(`fixtures/pcap/${name}`)], name);

describe('capture session', () => {
  it('refuses a file over the limit by its size, without reading it', async () => {
    const huge = {
      name: 'huge.pcap',
      size: MAX_CAPTURE_BYTES + 1,
      arrayBuffer: () => Promise.reject(new Error('read')),
    } as unknown as File;
    const r = await openCaptureFile(huge);
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.message).toMatch(
      /^huge\.pcap is 512\.0 MB, more than the 512 MB the lab opens in a browser tab; keep only the connection you want first/,
    );
  });

  it('opens a capture, shows its connection, and shows it again decrypted once a key log is chosen', async () => {
    await setKeyLog(undefined);
    const opened = await openCaptureFile(fixture('tls12-lo.pcap'));
    expect(opened).toMatchObject({ kind: 'capture', name: 'tls12-lo.pcap' });
    expect('capture' in opened).toBe(false); // the parsed capture stays in the worker
    expect((await showConnection(0)).decryption.status).toBe('no-key-log');
    expect(await setKeyLog(fixture('tls12.keys.log'))).toEqual({ name: 'tls12.keys.log', lines: 1 });
    const shown = await showConnection(0);
    expect(shown.decryption.status).toBe('decrypted');
    const bytes = await pcapngOf(shown.run, shown.connection.firstTime, {
      client: shown.connection.client,
      server: shown.connection.server,
    });
    const again = openCapture(bytes);
    expect(again.connections[0]?.server).toEqual(shown.connection.server);
    expect(again.keyLog).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
    await setKeyLog(undefined);
  });

  it('a bad file leaves the capture opened before it in place', async () => {
    await openCaptureFile(fixture('tls12-dsb.pcapng'));
    const bad = await openCaptureFile(new File([new Uint8Array(10)], 'zeros.pcap'));
    expect(bad).toEqual({
      kind: 'error',
      name: 'zeros.pcap',
      message: 'zeros.pcap could not be opened: not a pcap or pcapng file: unknown magic number (offset 0)',
    });
    expect((await showConnection(0)).keyLog).toEqual({ used: [CAPTURE_KEY_LOG_NAME], unreadable: [] });
  });

  it('a reading that ends after a later one began keeps nothing: the later capture is the one shown', async () => {
    // The lab's page hides a reading the user went back from; the worker must not keep it either, or the capture
    // opened next would show the abandoned file's connection under its own name.
    await setKeyLog(undefined);
    let finishSlow: (bytes: ArrayBuffer) => void = () => undefined;
    const slow = {
      name: 'tls13-lo.pcap',
      size: 1,
      arrayBuffer: () => new Promise<ArrayBuffer>((resolve) => (finishSlow = resolve)),
    } as unknown as File;
    const abandoned = openCaptureFile(slow);
    expect(await openCaptureFile(fixture('tls12-lo.pcap'))).toMatchObject({ kind: 'capture' });
    const bytes = readFileSync('fixtures/pcap/tls13-lo.pcap');
    finishSlow(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(await abandoned).toMatchObject({ kind: 'capture', name: 'tls13-lo.pcap' });
    expect((await showConnection(0)).decryption).toMatchObject({ status: 'no-key-log', version: 'TLSv1.2' });
  });
});
