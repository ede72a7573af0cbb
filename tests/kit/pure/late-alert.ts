/**
 * A TLS 1.3 connection of ours (client and server) whose handshake completes, then something on the path flips a bit
 * of the client's application data record number `breakRecord` (1-based) and the server answers with a fatal
 * bad_record_mac: a fatal alert after a completed handshake, for the tests of how it is reported.
 */
import { runHandshake13 } from '../../../src/lib/tls13/index.ts';
import { testScenario13 } from './scenario13.ts';

export async function runWithLateAlert(args: { dataRecords: number; breakRecord: number; seed: string }) {
  let seen = 0;
  return runHandshake13(
    await testScenario13({
      seed: args.seed,
      clientData: new Uint8Array(16384 * (args.dataRecords - 1) + 1),
      onPath: (bytes) => {
        // The client's records of type 23: its Finished (in 1.3 every protected record is 23), then its data.
        if (bytes[0] !== 23 || ++seen < 1 + args.breakRecord) return bytes;
        const broken = Uint8Array.from(bytes);
        broken[broken.length - 1]! ^= 1;
        return broken;
      },
    }),
  );
}
