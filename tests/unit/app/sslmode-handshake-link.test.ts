/**
 * The sslmode Lab links a TLS 1.3 connection to the same handshake in the Handshake Lab: the version from the
 * outcome's own facts, the framing from libpq's sslnegotiation, a rejected client certificate's preset.
 */
import { describe, expect, it } from 'vitest';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import { buildScenario, sslmodeControls } from '../../../src/app/model/sslmode/scenario.ts';
import {
  handshakeLabLink,
  tls13FailureUnstaged,
  tls13HandshakeLink,
} from '../../../src/app/model/sslmode/handshake-link.ts';
import { readParams } from '../../../src/app/url/hash.ts';
import {
  buildScenarios,
  handshakeSchema,
  RECOGNISABLE_NOW,
} from '../../../src/app/model/handshake/scenario.ts';
import { runLab } from '../../../src/app/workers/tls-lab.ts';

const CONNINFO = 'host=db.example.test dbname=app user=app password=secret';
async function link(values: Parameters<typeof sslmodeControls>[0]) {
  const c = sslmodeControls(values);
  const outcome = await explainConnection(buildScenario(c));
  return { outcome, link: tls13HandshakeLink(outcome) };
}
const handshakeControls = (href: string) =>
  readParams(handshakeSchema, new URLSearchParams(href.replace('#/handshake?', '')));

describe('the TLS 1.3 Handshake Lab link of an sslmode outcome', () => {
  it('a host-name mismatch: the TLS 1.3 handshake completed before libpq compared the name, so the lab links it', async () => {
    const { outcome, link: href } = await link({
      conninfo: 'host=localhost dbname=app user=app password=secret sslmode=verify-full',
      root: 'root-a',
    });
    expect(outcome.error).toMatch(/does not match host name "localhost"/);
    expect(href).toBe('#/handshake?tls=1.3&pg=sslrequest');
    expect(tls13FailureUnstaged(outcome)).toBe(false);
  });

  it('a verify-full connection that negotiated TLSv1.3 links the 1.3 lab with SSLRequest framing', async () => {
    const { outcome, link: href } = await link({
      conninfo: `${CONNINFO} sslmode=verify-full`,
      root: 'root-a',
    });
    expect(outcome.protocol).toBe('TLSv1.3');
    expect(href).toBe('#/handshake?tls=1.3&pg=sslrequest');
    expect(tls13FailureUnstaged(outcome)).toBe(false);
    expect(handshakeControls(href!)).toMatchObject({ tls: '1.3', pg: 'sslrequest', fault: 'none' });
  });

  it('sslnegotiation=direct links the direct-TLS framing', async () => {
    const { link: href } = await link({
      conninfo: `${CONNINFO} sslmode=verify-full sslnegotiation=direct`,
      root: 'root-a',
    });
    expect(href).toBe('#/handshake?tls=1.3&pg=direct');
  });

  it('a client certificate from a CA the server does not trust links the matching 1.3 preset', async () => {
    const { outcome, link: href } = await link({
      conninfo: `${CONNINFO} sslmode=verify-full sslcert=client.crt sslkey=client.key`,
      root: 'root-a',
      ccert: 'untrusted',
      sca: 'client-ca',
    });
    expect(outcome.error).toMatch(/unknown ca/);
    expect(handshakeControls(href!)).toMatchObject({ tls: '1.3', fault: 'tls13-client-cert-unknown-ca' });
  });

  it('an expired client certificate (certificate_expired from the server, which no preset stages) links the plain 1.3 lab and says so', async () => {
    const { outcome, link: href } = await link({
      conninfo: `${CONNINFO} sslmode=verify-full sslcert=client.crt sslkey=client.key`,
      root: 'root-a',
      ccert: 'expired',
      sca: 'client-ca',
    });
    expect(outcome.error).toMatch(/certificate expired/);
    expect(href).toBe('#/handshake?tls=1.3&pg=sslrequest');
    expect(tls13FailureUnstaged(outcome)).toBe(true);
  });

  it('a server chain rejected in the TLS 1.3 handshake links tls13-unknown-ca; an expired one, no preset', async () => {
    const untrusted = await link({ conninfo: `${CONNINFO} sslmode=verify-full`, root: 'root-b' });
    expect(untrusted.outcome.error).toMatch(/certificate verify failed/);
    expect(untrusted.link).toBe('#/handshake?tls=1.3&pg=sslrequest&fault=tls13-unknown-ca');
    const expired = await link({
      conninfo: `${CONNINFO} sslmode=verify-full`,
      root: 'root-a',
      cert: 'expired',
    });
    // No 1.3 preset ends in certificate_expired, but the expired-certificate preset is staged in both versions: the
    // link opens it side by side, TLS 1.3 shown. Before, it opened a 1.3 handshake that completed.
    expect(expired.link).toBe('#/handshake?tls=both&pg=sslrequest&fault=expired-certificate');
    expect(tls13FailureUnstaged(expired.outcome)).toBe(false);
    expect(handshakeControls(expired.link!)).toMatchObject({
      tls: 'both',
      side: '1.3',
      fault: 'expired-certificate',
    });
    expect(tls13FailureUnstaged(untrusted.outcome)).toBe(false);
    // The linked lab state plays it: its TLS 1.3 run ends in the client's certificate_expired, as libpq's does.
    const [run12, run13] = await Promise.all(
      buildScenarios(handshakeControls(expired.link!), RECOGNISABLE_NOW).map(runLab),
    );
    expect(run13!.eventLog.some((e) => e.kind === 'message' && e.message13 !== undefined)).toBe(true);
    expect(run13!.alert).toMatchObject({ name: 'certificate_expired', from: 'client' });
    expect(run12!.alert).toMatchObject({ name: 'certificate_expired', from: 'client' });
    // node-postgres too: Node completes the TLS 1.3 handshake, then rejects the chain.
    const node = await link({
      conninfo: 'postgres://app:secret@db.example.test/app?sslmode=verify-full&sslrootcert=root.crt',
      driver: 'node-postgres',
      root: 'root-b',
    });
    expect(node.outcome.connected).toBe(false);
    expect(node.link).toBe('#/handshake?tls=1.3&pg=sslrequest&fault=tls13-unknown-ca');
  });

  it("the steps' link keeps the framing when no TLS 1.3 was negotiated", async () => {
    const direct = await link({
      conninfo: `${CONNINFO} sslmode=require sslnegotiation=direct ssl_max_protocol_version=TLSv1.2`,
      root: 'root-a',
    });
    expect(direct.outcome.protocol).toBe('TLSv1.2');
    expect(direct.link).toBeUndefined();
    expect(handshakeLabLink(direct.outcome)).toBe('#/handshake?pg=direct');
    const request = await link({
      conninfo: `${CONNINFO} sslmode=require ssl_max_protocol_version=TLSv1.2`,
      root: 'root-a',
    });
    expect(handshakeLabLink(request.outcome)).toBe('#/handshake?pg=sslrequest');
  });

  it('no link where the outcome names no TLS 1.3: a TLS 1.2-only client, or plaintext', async () => {
    expect(
      (
        await link({
          conninfo: `${CONNINFO} sslmode=require ssl_max_protocol_version=TLSv1.2`,
          root: 'root-a',
        })
      ).link,
    ).toBeUndefined();
    expect((await link({ conninfo: `${CONNINFO} sslmode=prefer`, ssl: false })).link).toBeUndefined();
  });
});
