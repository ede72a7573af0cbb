/**
 * RFC 8448 §3 "Simple 1-RTT Handshake": from its printed inputs (the x25519 shared secret and the
 * handshake messages' transcript hashes) the key schedule prints the secrets, keys and IVs the RFC prints.
 * Suite TLS_AES_128_GCM_SHA256, no PSK. Every hex value below is copied from RFC 8448 §3.
 */
import { describe, expect, it } from 'vitest';
import { createCryptoProvider, fromHex, toHex } from '../../../src/lib/tls12/crypto/index.ts';
import {
  computeApplicationSecrets,
  computeHandshakeSecrets,
  finishedKey,
  resumptionMasterSecret,
  trafficKeys,
  verifyData,
} from '../../../src/lib/tls13/key-schedule.ts';
import { tls13Suite } from '../../../src/lib/tls13/suites.ts';

const h = (s: string) => fromHex(s.replace(/\s+/g, ''));
const provider = createCryptoProvider();
const suite = tls13Suite(0x1301)!;

// RFC 8448 §3, "{server} derive secret for handshake": IKM (the x25519 shared secret) and the hash of
// ClientHello...ServerHello, printed as the context of "c hs traffic".
const sharedSecret = h(
  '8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d',
);
const helloHash = h(
  '86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8',
);
// "{server} derive secret for master": hash of ClientHello...server Finished.
const serverFinishedHash = h(
  '96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a 00 0e aa da 3d aa e4 77 7a 76 86 c9 ff 83 df 13',
);

describe('RFC 8448 §3 key schedule', () => {
  it('early, handshake and handshake traffic secrets', async () => {
    const s = await computeHandshakeSecrets(provider, { hash: 'sha256', sharedSecret, helloHash });
    expect(toHex(s.earlySecret)).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    expect(toHex(s.steps[1]!.value)).toBe('6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba');
    expect(toHex(s.handshakeSecret)).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');
    expect(toHex(s.clientHandshakeTrafficSecret)).toBe(
      'b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21',
    );
    expect(toHex(s.serverHandshakeTrafficSecret)).toBe(
      'b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38',
    );
    const server = await trafficKeys(
      provider,
      suite,
      'server_handshake_traffic_secret',
      s.serverHandshakeTrafficSecret,
    );
    expect(toHex(server.key)).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(toHex(server.iv)).toBe('5d313eb2671276ee13000b30');
    const client = await trafficKeys(
      provider,
      suite,
      'client_handshake_traffic_secret',
      s.clientHandshakeTrafficSecret,
    );
    expect(toHex(client.key)).toBe('dbfaa693d1762c5b666af5d950258d01');
    expect(toHex(client.iv)).toBe('5bd3c71b836e0b76bb73265f');
    const fk = await finishedKey(
      provider,
      'sha256',
      'server_handshake_traffic_secret',
      s.serverHandshakeTrafficSecret,
    );
    expect(toHex(fk.value)).toBe('008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8');
  });

  it('master, application traffic, exporter and resumption secrets, and the server Finished', async () => {
    const hs = await computeHandshakeSecrets(provider, { hash: 'sha256', sharedSecret, helloHash });
    const a = await computeApplicationSecrets(provider, {
      hash: 'sha256',
      handshakeSecret: hs.handshakeSecret,
      serverFinishedHash,
    });
    expect(toHex(a.steps[0]!.value)).toBe('43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4');
    expect(toHex(a.masterSecret)).toBe('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919');
    expect(toHex(a.clientApplicationTrafficSecret)).toBe(
      '9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5',
    );
    expect(toHex(a.serverApplicationTrafficSecret)).toBe(
      'a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643',
    );
    expect(toHex(a.exporterMasterSecret)).toBe(
      'fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50',
    );
    const server = await trafficKeys(provider, suite, 's_ap', a.serverApplicationTrafficSecret);
    expect(toHex(server.key)).toBe('9f02283b6c9c07efc26bb9f2ac92e356');
    expect(toHex(server.iv)).toBe('cf782b88dd83549aadf1e984');
    const client = await trafficKeys(provider, suite, 'c_ap', a.clientApplicationTrafficSecret);
    expect(toHex(client.key)).toBe('17422dda596ed5d9acd890e3c63f5051');
    expect(toHex(client.iv)).toBe('5b78923dee08579033e523d9');
    // "{client} derive secret "tls13 res master"": hash of ClientHello...client Finished.
    const res = await resumptionMasterSecret(
      provider,
      'sha256',
      a.masterSecret,
      h('20 91 45 a9 6e e8 e2 a1 22 ff 81 00 47 cc 95 26 84 65 8d 60 49 e8 64 29 42 6d b8 7c 54 ad 14 3d'),
    );
    expect(toHex(res.value)).toBe('7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c');
    // The server Finished: the RFC's server handshake record ends with 14 00 00 20 + verify_data. The RFC does not
    // print the hash of ClientHello...CertificateVerify that goes into the HMAC: it is the SHA-256 of the RFC's
    // messages (the value Botan's and BouncyCastle's RFC 8448 tests compute too).
    const fk = await finishedKey(provider, 'sha256', 's_hs', hs.serverHandshakeTrafficSecret);
    const vd = await verifyData(provider, 'sha256', 'server_verify_data', fk.value, {
      name: 'Transcript-Hash(ClientHello...CertificateVerify)',
      value: h(
        'ed b7 72 5f a7 a3 47 3b 03 1e c8 ef 65 a2 48 54 93 90 01 38 a2 b9 12 91 40 7d 79 51 a0 61 10 ed',
      ),
    });
    expect(toHex(vd.value)).toBe('9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718');
  });
});
