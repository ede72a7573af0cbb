import type { Lesson } from './types';

const target = 'host=db.example.test dbname=app user=app password=secret';

export const troubleshootingLesson: Lesson = {
  id: 'troubleshooting',
  title: 'Troubleshooting real connection errors',
  summary:
    "Five errors psql really prints, what each one means and how to fix it, with the sslmode Lab's troubleshooter.",
  steps: [
    {
      id: 'root-missing',
      title: 'root certificate file … does not exist',
      body: 'The client asks for sslmode=verify-full and there is no ~/.postgresql/root.crt. psql prints:\n\n`root certificate file "/home/postgres/.postgresql/root.crt" does not exist`\n\nPaste that line into the troubleshooter on the right and press "Explain it".',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=verify-full`, view: 'troubleshoot' },
      notes: 'libpq refuses before any TLS byte is sent: verify-ca and verify-full need a CA file.',
      checkpoint: {
        question: 'What is the right fix?',
        choices: [
          { id: 'require', text: 'Switch to sslmode=require' },
          { id: 'rootcert', text: "Provide the server's CA with sslrootcert= (or ~/.postgresql/root.crt)" },
          { id: 'server', text: 'Enable ssl on the server' },
        ],
        answer: 'rootcert',
        explanation:
          'verify-ca and verify-full need a CA file to check the server against. libpq suggests providing the file, using sslrootcert=system, or lowering sslmode, but lowering sslmode gives up the protection.',
      },
    },
    {
      id: 'verify-failed',
      title: 'SSL error: certificate verify failed',
      body: 'Now root.crt holds Root B, a CA that did not issue the server certificate. psql prints:\n\n`SSL error: certificate verify failed`\n\nlibpq does not print the X.509 reason. Paste the line into the troubleshooter.',
      lab: 'sslmode',
      state: { conninfo: `${target} sslmode=verify-full`, root: 'root-b', view: 'troubleshoot' },
      notes:
        'Causes, most likely first: wrong CA in the root file, expired certificate, missing intermediate. Use the Chain Lab to see which.',
      checkpoint: {
        question: 'What is the most likely cause here?',
        choices: [
          {
            id: 'wrong-ca',
            text: 'The root file holds a different CA than the one that issued the server certificate',
          },
          { id: 'name', text: 'The host name does not match the certificate' },
          { id: 'hba', text: 'pg_hba.conf rejects the user' },
        ],
        answer: 'wrong-ca',
        explanation:
          'OpenSSL could not build a trusted chain to a CA in the root file. A name mismatch has its own message, and pg_hba.conf is checked only after TLS succeeded.',
      },
    },
    {
      id: 'host-mismatch',
      title: 'server certificate for … does not match host name',
      body: 'The right CA, verify-full, but the client connects to `localhost` while the certificate names db.example.test and 127.0.0.1. psql prints:\n\n`server certificate for "db.example.test" (and 1 other name) does not match host name "localhost"`\n\nFix: connect with a name the certificate carries (here host=db.example.test, or host=127.0.0.1 which is in its IP SANs).',
      lab: 'sslmode',
      state: {
        conninfo: 'host=localhost dbname=app user=app password=secret sslmode=verify-full',
        root: 'root-a',
        view: 'troubleshoot',
      },
      notes: 'Only verify-full checks the name. libpq checks it after the handshake.',
    },
    {
      id: 'no-hba',
      title: 'Predict: no pg_hba.conf entry … no encryption',
      body: 'The server accepts only `hostssl` lines. A client connects with sslmode=disable. psql prints:\n\n`FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption`',
      lab: 'sslmode',
      state: {
        conninfo: `${target} sslmode=disable`,
        hba: 'hostssl all all 0.0.0.0/0 scram-sha-256',
        view: 'troubleshoot',
      },
      notes: 'The tail "no encryption" is the clue. Azure and RDS force TLS the same way.',
      checkpoint: {
        question: 'Who has to change something?',
        choices: [
          { id: 'client', text: 'The client: use TLS (sslmode=require or better)' },
          { id: 'password', text: 'The client: the password is wrong' },
          { id: 'cert', text: 'The server: its certificate is wrong' },
        ],
        answer: 'client',
        explanation:
          'The server found no pg_hba.conf line for a connection WITHOUT encryption: only hostssl lines exist. Connect with TLS (prefer, require or a verify mode) and the hostssl line matches.',
      },
    },
    {
      id: 'protocol-version',
      title: 'SSL error: tlsv1 alert protocol version',
      body: "The server sets ssl_min_protocol_version = TLSv1.3; the client allows at most TLSv1.2 (ssl_max_protocol_version=TLSv1.2). psql prints:\n\n`SSL error: tlsv1 alert protocol version`\n`This may indicate that the server does not support any SSL protocol version between TLSv1.2 and TLSv1.2.`\n\nFix: widen the client's range (or the server's) so they overlap.",
      lab: 'sslmode',
      state: {
        conninfo: `${target} sslmode=require ssl_max_protocol_version=TLSv1.2`,
        smin: 'TLSv1.3',
        view: 'troubleshoot',
      },
      notes: 'The Handshake Lab shows the same alert byte by byte (fault "Version mismatch").',
    },
  ],
};
