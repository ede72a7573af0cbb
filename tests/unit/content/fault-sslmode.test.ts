/**
 * Each Handshake Lab fault that links to the sslmode Lab links to a state that reproduces it: the sslmode
 * engine (libpq rules), run on the link's own URL parameters, fails with the text the fault quotes and states a
 * fix. A failure staged through the controls is recognised by its alert.
 */
import { describe, expect, it } from 'vitest';
import { faultForAlert, faultPresets } from '../../../src/content/handshake/faults';
import { readParams } from '../../../src/app/url/hash';
import { buildScenario, sslmodeSchema } from '../../../src/app/model/sslmode/scenario';
import { explainConnection } from '../../../src/lib/sslmode/index';
import { diagnoseError } from '../../../src/lib/sslmode/diagnose';
import { tls13HandshakeLink } from '../../../src/app/model/sslmode/handshake-link';

describe('fault presets and the sslmode Lab', () => {
  for (const fault of faultPresets.filter((f) => f.sslmode)) {
    it(`"${fault.title}": the linked sslmode Lab state fails as the fault says, with a fix`, async () => {
      const c = readParams(sslmodeSchema, new URLSearchParams(fault.sslmode));
      // Every parameter of the link is one the sslmode Lab reads (an unknown value would fall back silently).
      for (const [key, value] of Object.entries(fault.sslmode!))
        expect(String(c[key as keyof typeof c]), key).toBe(value);
      const outcome = await explainConnection(buildScenario(c, c.conninfo, c.driver, null));
      expect(outcome.connected).toBe(false);
      if (fault.id === 'host-mismatch')
        expect(outcome.error).toMatch(/does not match host name "wrong.example.test"/);
      else expect(outcome.error).toContain(fault.libpq);
      expect(outcome.fix).toBeTruthy();
      // A TLS 1.3 preset's sslmode state negotiates TLS 1.3, and that lab links back to the same preset.
      if (fault.tls === '1.3')
        expect(tls13HandshakeLink(outcome)).toBe(
          `#/handshake?${new URLSearchParams({ tls: '1.3', pg: 'sslrequest', fault: fault.id })}`,
        );
    });
  }

  it('links every certificate and version fault (TLS 1.3: the certificates psql checks or sends); says so for the rest', () => {
    expect(faultPresets.filter((f) => f.sslmode).map((f) => f.id)).toEqual([
      'version-mismatch',
      'untrusted-certificate',
      'expired-certificate',
      'host-mismatch',
      'tls13-unknown-ca',
      'tls13-client-cert-unknown-ca',
    ]);
  });

  it('a failure staged by hand is an instance of the preset with the same alert from the same side', () => {
    expect(faultForAlert('protocol_version', '1.2', 'server')?.id).toBe('version-mismatch');
    expect(faultForAlert('handshake_failure', '1.2', 'server')?.id).toBe('no-shared-suite');
    expect(faultForAlert('close_notify', '1.2', 'client')).toBeUndefined();
    expect(faultForAlert(undefined, '1.2', 'client')).toBeUndefined();
    // The version decides: unknown_ca is a 1.2 preset's alert and a 1.3 preset's.
    expect(faultForAlert('unknown_ca', '1.2', 'client')?.id).toBe('untrusted-certificate');
    expect(faultForAlert('unknown_ca', '1.3', 'client')?.id).toBe('tls13-unknown-ca');
    // And the side: unknown_ca from the server is the client certificate it rejected.
    expect(faultForAlert('unknown_ca', '1.3', 'server')?.id).toBe('tls13-client-cert-unknown-ca');
    expect(faultForAlert('certificate_required', '1.3', 'server')?.id).toBe('tls13-client-cert-required');
    expect(faultForAlert('certificate_required', '1.2', 'server')).toBeUndefined();
  });

  // The Handshake Lab offers "Diagnose this text in the sslmode Lab" under each preset's psql text.
  it.each(
    faultPresets.flatMap((f) =>
      [f.libpq, f.libpqOpenssl35].flatMap((text) => (text ? [{ id: f.id, text }] : [])),
    ),
  )("the troubleshooter knows $id's psql text: $text", ({ text }) => {
    const d = diagnoseError(text);
    expect(d.id, text).not.toBe('unknown');
    expect(d.meaning.length).toBeGreaterThan(40);
  });
});
