/**
 * The Handshake Lab's pcapng download of a live TLS 1.3 run (runLab -> runPcapng: the run's bytes as a TCP
 * conversation, its five traffic secret lines in a Decryption Secrets Block) is what real tshark, with no
 * settings, reads as TLS 1.3 in PostgreSQL's SSLRequest framing and decrypts: both Finished messages and the
 * StartupMessage in the tunnel.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParams } from '../../src/app/url/hash.ts';
import { buildScenario, handshakeSchema } from '../../src/app/model/handshake/scenario.ts';
import { runLab } from '../../src/app/workers/tls-lab.ts';
import { isDirectPostgres, runPcapng } from '../../src/app/model/handshake/import.ts';
import { CAPTURE_HELP } from '../../src/content/handshake/capture-import.ts';
import { tsharkField, tsharkWithNoSettings } from '../kit/programs/tshark.ts';

const tshark = tsharkWithNoSettings();

describe('tshark reads the lab’s pcapng of a live TLS 1.3 run', () => {
  it('as TLS 1.3 after SSLRequest, decrypted with the key log inside: both Finished and the StartupMessage', async () => {
    const controls = readParams(
      handshakeSchema,
      new URLSearchParams('tls=1.3&pg=sslrequest&fault=tls13-hello-retry'),
    );
    const run = await runLab(buildScenario(controls));
    expect(run.ok).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-lab13-')), 'lab13.pcapng');
    writeFileSync(file, runPcapng(run, Date.UTC(2026, 0, 1)));
    const versions = tsharkField(
      tshark,
      file,
      'tls.handshake.type == 2',
      'tls.handshake.extensions.supported_version',
    );
    // The HelloRetryRequest and the ServerHello both select TLS 1.3.
    expect(versions).toEqual(['0x0304', '0x0304']);
    const finished = tshark(file, '-Y', 'tls.handshake.type == 20', '-T', 'fields', '-e', 'tcp.srcport');
    expect(new Set(finished.trim().split('\n'))).toEqual(new Set(['50000', '5432']));
    expect(tshark(file, '-q', '-z', 'follow,tls,ascii,0')).toContain('tls-lab');
  });

  it('PostgreSQL 17 direct TLS on port 5432: no TLS with no settings (tshark 4.0), decrypted with the Decode As the lab names', async () => {
    // A review found the lab promising "no settings" for direct TLS too; its help text now names the Decode As.
    const controls = readParams(handshakeSchema, new URLSearchParams('tls=1.3&pg=direct'));
    const run = await runLab(buildScenario(controls));
    expect(run.ok).toBe(true);
    expect(isDirectPostgres(run.eventLog)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'tls-lab-lab13-')), 'direct.pcapng');
    writeFileSync(file, runPcapng(run, Date.UTC(2026, 0, 1)));
    expect(tshark(file, '-Y', 'tls').trim()).toBe('');
    expect(CAPTURE_HELP.pcapngDirect).toContain('-d tcp.port==5432,tls');
    const finished = tshark(
      file,
      '-d',
      'tcp.port==5432,tls',
      '-Y',
      'tls.handshake.type == 20',
      '-T',
      'fields',
      '-e',
      'tcp.srcport',
    );
    expect(new Set(finished.trim().split('\n'))).toEqual(new Set(['50000', '5432']));
    expect(tshark(file, '-d', 'tcp.port==5432,tls', '-q', '-z', 'follow,tls,ascii,0')).toContain('tls-lab');
  });
});
