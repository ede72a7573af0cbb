/**
 * The same capture and key log get the same verdict from `tls-lab handshake --pcap --json` and from the Handshake
 * Lab's import (`importConnection`, what the lab's worker runs): the same event log, decryption status and report,
 * on the committed real captures (fixtures/pcap, The Illustrated TLS 1.2), with a matching key log, with none, with
 * the wrong one, and with the capture's own key log plus a file; and the CLI's JSON opened by the lab's reader
 * (`parseCapture`) is the same event log again, TLS 1.3 included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { importConnection, openFileBytes } from '../../../src/app/model/handshake/import.ts';
import { describeCaptureError, parseCapture } from '../../../src/app/model/handshake/capture.ts';
import { eventLogToJson } from '../../../src/lib/tls12/index.ts';

const ILLUSTRATED = 'fixtures/tls12-vectors/illustrated-tls12';
const CASES: { capture: string; keyLog?: string }[] = [
  { capture: 'fixtures/pcap/tls12-lo.pcap', keyLog: 'fixtures/pcap/tls12.keys.log' },
  { capture: 'fixtures/pcap/tls12-lo.pcap' },
  { capture: 'fixtures/pcap/tls12-lo.pcap', keyLog: `${ILLUSTRATED}/keylog.txt` },
  { capture: 'fixtures/pcap/tls12-any-sll2.pcap', keyLog: 'fixtures/pcap/tls12.keys.log' },
  { capture: 'fixtures/pcap/tls12-dsb.pcapng' },
  { capture: 'fixtures/pcap/tls12-dsb.pcapng', keyLog: `${ILLUSTRATED}/keylog.txt` },
  { capture: 'fixtures/pcap/tls13-lo.pcap', keyLog: 'fixtures/pcap/tls13.keys.log' },
  { capture: 'fixtures/pcap/tls13-dsb.pcapng' },
  {
    capture: 'fixtures/pcap/tls13-hrr-keyupdate-lo.pcap',
    keyLog: 'fixtures/pcap/tls13-hrr-keyupdate.keys.log',
  },
  { capture: 'fixtures/pcap/psql-require-lo.pcap' },
  { capture: 'fixtures/pcap/tls-lab-postgres-lo.pcap', keyLog: 'fixtures/pcap/tls-lab-postgres.keys.log' },
  { capture: `${ILLUSTRATED}/capture.pcap`, keyLog: `${ILLUSTRATED}/keylog.txt` },
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
    });
  }
});
