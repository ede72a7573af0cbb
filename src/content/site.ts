/** Site-wide prose: what TLS Lab is and what each lab does. Keyed by lab id; views render it verbatim. */

export const site = {
  name: 'TLS Lab',
  tagline: 'See TLS the way the bytes see it.',
  summary:
    'Watch a real TLS 1.2 or TLS 1.3 handshake byte by byte, drop in a certificate chain and see every path it can take to a trusted root, and learn exactly what each PostgreSQL sslmode will do — with the error text the real client prints.',
  privacy:
    'Everything runs in your browser. Nothing you paste or drop is sent anywhere: the app makes no network requests to other sites, and private keys are detected and discarded.',
  footer: 'TLS Lab runs entirely in your browser and talks to no other site.',
} as const;

export type LabId = 'handshake' | 'chain' | 'sslmode' | 'lessons';

export interface LabDescription {
  readonly id: LabId;
  readonly title: string;
  readonly short: string;
  readonly points: readonly string[];
}

export const labs: readonly LabDescription[] = [
  {
    id: 'handshake',
    title: 'Handshake Lab',
    short: 'A real TLS 1.2 and TLS 1.3 client and server, every byte annotated.',
    points: [
      'Step through ClientHello to Finished with the keys computed live: the TLS 1.2 PRF, the TLS 1.3 key schedule, verify_data',
      'Break it on purpose: version mismatch, no shared suite, untrusted or expired certificate, tampered record',
      'TLS 1.3 live too: HelloRetryRequest, bad CertificateVerify, client certificates, a downgrade caught by its sentinel',
      "PostgreSQL's SSLRequest and direct TLS with ALPN postgresql",
    ],
  },
  {
    id: 'chain',
    title: 'Chain Lab',
    short: 'Every path from a certificate to a trusted root.',
    points: [
      'Paste PEM, DER, PKCS#7, PKCS#12 or openssl s_client output',
      'Cross-signing drawn as a graph, every path judged by RFC 5280',
      'How OpenSSL 3, OpenSSL 1.0.2, Go and rustls choose a path, at any date',
    ],
  },
  {
    id: 'sslmode',
    title: 'sslmode Lab',
    short: 'What each PostgreSQL sslmode really does.',
    points: [
      'libpq 15 to 18 and the common drivers',
      'Whether a connection succeeds, whether it is encrypted, what was verified',
      'The exact error text the real client prints, and the fix',
    ],
  },
  {
    id: 'lessons',
    title: 'Lessons',
    short: 'Guided lessons, exercises and presenter mode.',
    points: [
      'Predict-the-outcome exercises with feedback',
      'Presenter mode for team training sessions',
      'An embed mode for tutorials',
    ],
  },
];
