// The client of fixtures/pcap/tls13-refused-after-data-lo.pcap (see fixtures/pcap/README.md): Node's TLS 1.3 client
// with a self-signed client certificate (ccert.pem, ckey.pem) writes N lines right after its handshake, while the
// server (openssl s_server -tls1_3 -Verify 1 -verify_return_error, process SERVER_PID) is paused from the moment
// its handshake secrets exist until the lines are sent, so the capture holds them before the server's refusal.
// Usage: node late-refusal-client.mjs PORT KEYLOG N SERVER_PID
import tls from 'node:tls';
import fs from 'node:fs';
const [port, keys, n, spid] = process.argv.slice(2);
fs.writeFileSync(keys, '');
let stopped = false;
const s = tls.connect({
  host: '127.0.0.1',
  port: +port,
  servername: 'localhost',
  rejectUnauthorized: false,
  minVersion: 'TLSv1.3',
  cert: fs.readFileSync('ccert.pem'),
  key: fs.readFileSync('ckey.pem'),
});
s.on('keylog', (l) => {
  fs.appendFileSync(keys, l);
  if (!stopped && l.toString().startsWith('SERVER_HANDSHAKE')) {
    stopped = true;
    process.kill(+spid, 'SIGSTOP');
  }
});
s.on('secureConnect', () => {
  let i = 0;
  const go = () => {
    if (i++ < +n) {
      s.write(`line ${i}\n`);
      setImmediate(go);
    } else setTimeout(() => process.kill(+spid, 'SIGCONT'), 300);
  };
  go();
});
s.on('error', (e) => {
  console.log('client error:', e.message);
});
s.on('close', () => console.log('closed'));
