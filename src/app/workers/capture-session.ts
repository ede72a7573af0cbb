/**
 * The Handshake Lab's capture files, in its worker: the page hands over File objects, the worker reads and
 * parses them (model/handshake/import.ts), keeps the opened capture and the key log, and sends back only what
 * the page draws: the connections to choose from, then the chosen connection's run and decryption report.
 * A pcapng of any run is written here too.
 */
import type { Endpoint } from '../../lib/pcap/index';
import type { HandshakeRun } from '../../lib/tls12/index';
import {
  importConnection,
  MAX_CAPTURE_BYTES,
  openFileBytes,
  runPcapng,
  type ImportedConnection,
  type OpenedFile,
} from '../model/handshake/import';

type Opened = ReturnType<typeof openFileBytes>;

let opened: Opened | undefined;
let keyLog: { name: string; text: string } | undefined;

function megabytes(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MB`;
}

/** Reads a capture (pcap, pcapng) or tls-lab JSON; a capture is kept for `showConnection`. */
export async function openCaptureFile(file: File): Promise<OpenedFile> {
  if (file.size > MAX_CAPTURE_BYTES)
    return {
      kind: 'error',
      name: file.name,
      message: `${file.name} is ${megabytes(file.size)}, larger than the ${megabytes(MAX_CAPTURE_BYTES)} the lab opens in a browser tab; cut it to the connection you want first (for example: editcap, or tshark -r in.pcap -Y "tcp.stream == 3" -w out.pcapng)`,
    };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    return {
      kind: 'error',
      name: file.name,
      message: `${file.name} could not be read: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const result = openFileBytes(file.name, bytes);
  if (result.kind === 'capture') opened = result;
  const { capture: _kept, ...plain } = result;
  return plain;
}

/** The key log to use from now on (undefined: none, so a pcapng's own is used). */
export async function setKeyLog(
  file: File | undefined,
): Promise<{ name: string; lines: number } | undefined> {
  if (!file) {
    keyLog = undefined;
    return undefined;
  }
  const text = await file.text();
  keyLog = { name: file.name, text };
  return { name: file.name, lines: text.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length };
}

/** The chosen connection of the capture opened last, observed with the key log. */
export async function showConnection(index: number): Promise<ImportedConnection> {
  if (opened?.kind !== 'capture' || !opened.capture) throw new Error('No capture is open');
  return importConnection(opened.capture, index, keyLog);
}

/** A run as pcapng with its key log in a Decryption Secrets Block. */
export async function pcapngOf(
  run: HandshakeRun,
  startTime: number,
  endpoints?: { client: Endpoint; server: Endpoint },
): Promise<Uint8Array> {
  return runPcapng(run, startTime, endpoints);
}

export const captureMethods = { openCaptureFile, setKeyLog, showConnection, pcapngOf };
