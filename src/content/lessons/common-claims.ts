import type { Lesson } from './types';

const target = 'host=db.example.test dbname=app user=app password=secret';

/**
 * Statements that circulate in provider documentation and blog posts about PostgreSQL TLS, each tested in a
 * lab state that shows what real clients do (the engine's texts are checked against psql, libpq and the
 * drivers' sources), then corrected. The wording of each claim is ours, paraphrased.
 */
export const commonClaimsLesson: Lesson = {
  id: 'common-claims',
  title: 'Common claims, tested',
  summary:
    'What popular pages about PostgreSQL TLS say, tried in the labs: client certificates, JDBC defaults, pinning, cross-signing, root files, TLS versions.',
  steps: [
    {
      id: 'require-client-cert',
      title: 'Claim: sslmode=require makes the server recognise the client certificate',
      body: 'Tested: the server here wants a client certificate (pg_hba `cert`, ssl_ca_file set) and the client has none. With sslmode=require the connection is encrypted, and the server still refuses: "connection requires a valid client certificate".\n\nCorrected: sslmode is only about how the CLIENT treats the SERVER. Whether a client certificate is asked for and checked is the server\'s business: ssl_ca_file, and pg_hba.conf `clientcert=verify-ca|verify-full` or the `cert` method. Pick a client certificate in the lab to see it accepted with require (verify-ca and verify-full also need the root file of the server CA, which this state does not give).',
      lab: 'sslmode',
      state: {
        conninfo: `${target} sslmode=require`,
        hba: 'hostssl all all 0.0.0.0/0 cert',
        sca: 'client-ca',
      },
      notes: 'sslmode has six values and none of them mentions client certificates.',
    },
    {
      id: 'jdbc-default',
      title: 'Claim: JDBC clients default to verify-full',
      body: "Tested: a pgJDBC URL without sslmode. The lab shows the effective sslmode: prefer, which encrypts when it can and verifies nothing.\n\nCorrected: pgJDBC defaults to prefer. What turns on verify-full is `ssl=true` (or an empty `ssl=`) without an sslmode, a trap of its own: it then wants root.crt where libpq keeps it, not Java's cacerts. Add `&ssl=true` to the URL in the lab and watch it fail on the missing root file.",
      lab: 'sslmode',
      state: {
        driver: 'pgjdbc',
        conninfo: 'jdbc:postgresql://db.example.test:5432/app?user=app&password=secret',
      },
      notes: 'pgjdbc SslMode.of(): no sslmode and no ssl -> prefer; ssl=true -> verify-full.',
    },
    {
      id: 'pinning',
      title: 'Claim: verify-ca and verify-full are "certificate pinning", with the roots on the server',
      body: 'Tested: verify-full with the right root file, to a host name the server certificate does not carry. libpq refuses: "server certificate for ... does not match host name".\n\nCorrected: nothing is pinned. The CLIENT holds the trusted root CA (root.crt, sslrootcert), and any certificate that CA issues is accepted; verify-full then compares the host name you connect to with the names in the SERVER\'s certificate, never with a client certificate. Pinning would mean accepting one certificate or key only, which no sslmode does.',
      lab: 'sslmode',
      state: {
        conninfo: 'host=pg.example.net dbname=app user=app password=secret sslmode=verify-full',
        root: 'root-a',
      },
      notes: 'The root file is on the client; the name check is against the server certificate.',
    },
    {
      id: 'cross-signed',
      title: 'Claim: the root CA certificates are "cross-signed with intermediate certificates"',
      body: 'Tested: the Azure chain in the Chain Lab. One intermediate CA (Microsoft Azure RSA TLS Issuing CA) exists as two certificates with the same name and key, one signed by DigiCert Global Root G2 and one by Microsoft RSA Root Certificate Authority 2017: two paths to two roots.\n\nCorrected: roots are not cross-signed with intermediates. An intermediate is cross-signed: signed by two roots, so a client that trusts either root can build a path. That is why a root file with either root works.',
      lab: 'chain',
      state: { sample: 'azure-cross-sign' },
      notes: 'See the cross-signing lesson for the Let\u2019s Encrypt 2021 story.',
    },
    {
      id: 'require-with-root',
      title: 'Claim: sslmode=require encrypts without checking the certificate (full stop)',
      body: 'Tested: require, with a ~/.postgresql/root.crt that holds a different CA (Root B). libpq fails: "SSL error: certificate verify failed".\n\nCorrected: when a root CA file exists, libpq treats require as verify-ca (for backwards compatibility). A root file left in the home directory silently changes what require means.',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=require`, root: 'root-b' },
      notes:
        'libpq docs, "SSL Support": "if a root CA file exists, the behavior of sslmode=require will be the same as that of verify-ca".',
    },
    {
      id: 'default-no-verification',
      title: 'Claim: by default there is no verification',
      body: 'Tested: the default sslmode (prefer), with a ~/.postgresql/root.crt present that is not the server\'s CA. libpq verifies the chain, the check fails, and libpq retries WITHOUT TLS: "Connected, NOT encrypted", with no warning.\n\nCorrected: with a root file present even prefer verifies, and on any TLS failure falls back to plaintext. Without a root file, prefer and require verify nothing. Neither is a protection against an active attacker: only verify-full is.',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=prefer`, root: 'root-b' },
      notes: 'The quiet downgrade is the point: look at the two attempts in the steps.',
    },
    {
      id: 'handshake-order',
      title: 'Claim: the TLS 1.2 handshake (as often drawn) and what the server signs',
      body: "Tested: step through an ECDHE handshake in the Handshake Lab. The order is ClientHello; ServerHello, Certificate, ServerKeyExchange, ServerHelloDone; ClientKeyExchange, ChangeCipherSpec, Finished; ChangeCipherSpec, Finished.\n\nCorrected: the ServerKeyExchange signature covers the client random, the server random and the server's ephemeral ECDH parameters (RFC 8422 §5.4), not the certificate or the whole handshake so far. The Finished messages are what protect the whole transcript.",
      lab: 'handshake',
      state: {},
      notes: 'Step to the ServerKeyExchange record and open its signed_params.',
    },
    {
      id: 'min-protocol-values',
      title: 'Claim: set ssl_min_protocol_version = 1.3',
      body: 'Tested: a server with ssl_min_protocol_version = TLSv1.3 and a client limited to TLS 1.2 (ssl_max_protocol_version=TLSv1.2): "SSL error: tlsv1 alert protocol version".\n\nCorrected: the values are TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3; PostgreSQL rejects "1.3" as an invalid value for the parameter.',
      lab: 'sslmode',
      state: {
        conninfo: `${target} sslmode=require ssl_max_protocol_version=TLSv1.2`,
        smin: 'TLSv1.3',
      },
      notes: "postgresql.conf: ssl_min_protocol_version = 'TLSv1.3'.",
    },
    {
      id: 'tls10-deprecation',
      title: 'Claim: TLS 1.0 and 1.1 are merely "not recommended"',
      body: "Tested: a client that speaks at most TLS 1.1 against a server that requires TLS 1.2: the server answers with a protocol_version alert.\n\nCorrected: TLS 1.0 and 1.1 are deprecated by RFC 8996 (March 2021): implementations must not negotiate them. PostgreSQL's default minimum is TLSv1.2 since version 13, and managed services refuse them.",
      lab: 'handshake',
      state: { cmin: '1.1', cmax: '1.1' },
      notes: 'RFC 8996 "Deprecating TLS 1.0 and TLS 1.1".',
    },
  ],
};
