#!/usr/bin/env bash
# Regenerates fixtures/pcap/: real captures of real TLS sessions on 127.0.0.1 (openssl s_server and
# openssl s_client -keylogfile), each session recorded at once by several real capture tools:
#   tcpdump -i lo (pcap, microseconds), tcpdump -i lo --time-stamp-precision=nano (pcap, nanoseconds),
#   dumpcap -i lo (pcapng), tcpdump -i any (Linux cooked SLL2), tcpdump -i any -y LINUX_SLL (SLL),
# then editcap --inject-secrets tls,<keylog> for a pcapng carrying its key log in a Decryption Secrets Block.
# One TLS 1.2 session (what the engine decrypts today) and one TLS 1.3 session. And `psql` with sslmode=require
# against a throw-away PostgreSQL 15 (SSLRequest, 'S', then TLS), captured by tcpdump -i lo without keys
# (libpq 15 writes no key log). And our own `tls-lab handshake --starttls postgres --pg-user postgres --keylog`
# against the same kind of PostgreSQL, captured by tcpdump -i lo, with the key log the CLI wrote.
# Needs root (capturing on lo; PostgreSQL runs as the postgres user).
# And a TLS 1.3 session with a HelloRetryRequest and KeyUpdate in both directions (tls13-hrr), and a TLS 1.2
# session the client renegotiates (tls12-reneg). And TLS 1.3 resumption with 0-RTT early data, accepted and then
# rejected (tls13-early). And TLS 1.2 sessions resumed by session ID and by ticket (tls12-resume). And a TLS 1.3
# client certificate the server rejects after the client's Finished (tls13-client-cert). And 40 kB each way in records
# that TCP splits across segments, in a network namespace with a 1500-byte loopback MTU (tls13-bulk), with a copy cut
# to start inside a record. And TLS 1.3 post-handshake client authentication (tls13-pha), and 0-RTT early data sent
# under the resumed session's suite to a server that chooses another (tls13-early-suite). And real libpq 18 with
# sslkeylogfile= against PostgreSQL, which refuses its client certificate (libpq18-client-cert; pip installs
# psycopg's binary wheel from scripts/libpq18/requirements.txt).
# Usage: sudo scripts/record-pcaps.sh [tls12] [tls13] [psql] [tls-lab] [tls13-hrr] [tls12-reneg] [tls13-early] [tls12-resume] [tls13-client-cert] [tls13-bulk] [tls13-pha] [tls13-early-suite] [libpq18-client-cert]   (default: all; writes fixtures/pcap/*;
# the certificate is new each run)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/fixtures/pcap"
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
pgbin=""
cap=""
pgs=() # data directories of the PostgreSQL servers started, stopped on any exit
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for d in "${pgs[@]}"; do runuser -u postgres -- "$pgbin/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
  -days 2 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

record() { # record NAME PORT VERSION-FLAG
  local name="$1" port="$2" version="$3"
  local filter="tcp port $port"
  local cap=()
  tcpdump -i lo -U -w "$work/$name-lo.pcap" "$filter" 2>/dev/null & cap+=($!)
  tcpdump -i lo -U --time-stamp-precision=nano -w "$work/$name-lo-ns.pcap" "$filter" 2>/dev/null & cap+=($!)
  dumpcap -q -i lo -f "$filter" -w "$work/$name-lo.pcapng" 2>/dev/null & cap+=($!)
  tcpdump -i any -U -w "$work/$name-any-sll2.pcap" "$filter" 2>/dev/null & cap+=($!)
  tcpdump -i any -U -y LINUX_SLL -w "$work/$name-any-sll.pcap" "$filter" 2>/dev/null & cap+=($!)
  pids+=("${cap[@]}")
  sleep 2
  openssl s_server -quiet -rev -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" "$version" \
    >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 1
  (printf 'hello, capture\n'; sleep 1) | openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$port" -servername localhost \
    "$version" -keylogfile "$work/$name.keys.log" >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  sleep 1
  for p in "${cap[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${cap[@]}"; do wait "$p" 2>/dev/null || true; done
  editcap --inject-secrets "tls,$work/$name.keys.log" "$work/$name-lo.pcapng" "$work/$name-dsb.pcapng"
  for f in "$work/$name"-*; do cp "$f" "$out/"; done
  cp "$work/$name.keys.log" "$out/$name.keys.log"
  if [ "$name" = tls12 ]; then # two lines for one client random: a wrong master secret (zeros), then the right one
    awk '/^CLIENT_RANDOM /{ z = $3; gsub(/./, "0", z); print $1, $2, z; print }' "$work/$name.keys.log" \
      >"$out/tls12-wrong-then-right.keys.log"
  fi
}

start_pg() { # start_pg PORT [OPTIONS]: a throw-away PostgreSQL (trust, ssl=on with the session certificate) in $work/pg-PORT
  local port="$1" pgdir="$work/pg-$1" more="${2:-}"
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  mkdir -p "$pgdir"
  cp "$work/cert.pem" "$pgdir/server.crt"
  cp "$work/key.pem" "$pgdir/server.key"
  chmod 755 "$work"
  chmod 600 "$pgdir/server.key"
  chown -R postgres: "$pgdir"
  runuser -u postgres -- "$pgbin/initdb" -A trust -U postgres -D "$pgdir/data" >/dev/null
  pgs+=("$pgdir/data")
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pgdir -c ssl=on -c ssl_cert_file=$pgdir/server.crt -c ssl_key_file=$pgdir/server.key $more" \
    start >/dev/null
}

stop_pg() { # stop_pg PORT
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg-$1/data" -m immediate stop >/dev/null
}

capture_lo() { # capture_lo FILE PORT: tcpdump -i lo in the background; its pid in $cap
  tcpdump -i lo -U -w "$1" "tcp port $2" 2>/dev/null &
  cap=$!
  pids+=("$cap")
  sleep 2
}

stop_capture() {
  sleep 1
  kill -INT "$cap" 2>/dev/null || true
  wait "$cap" 2>/dev/null || true
}

record_psql() { # record_psql PORT
  local port="$1"
  start_pg "$port"
  capture_lo "$work/psql-require-lo.pcap" "$port"
  psql "host=127.0.0.1 port=$port user=postgres dbname=postgres sslmode=require" -Atc 'select 1' >/dev/null
  stop_capture
  stop_pg "$port"
  cp "$work/psql-require-lo.pcap" "$out/"
}

record_tls_lab() { # record_tls_lab PORT: our own CLI, SSLRequest + TLS 1.2 + StartupMessage, with its key log
  local port="$1"
  start_pg "$port"
  capture_lo "$work/tls-lab-postgres-lo.pcap" "$port"
  node "$here/bin/tls-lab.mjs" handshake --connect "127.0.0.1:$port" --starttls postgres --pg-user postgres \
    --tls 1.2 --keylog "$work/tls-lab-postgres.keys.log" >/dev/null
  stop_capture
  stop_pg "$port"
  cp "$work/tls-lab-postgres-lo.pcap" "$work/tls-lab-postgres.keys.log" "$out/"
}

record_tls13_hrr() { # record_tls13_hrr PORT: HelloRetryRequest, then KeyUpdate both ways, with its key log
  local port="$1"
  capture_lo "$work/tls13-hrr-keyupdate-lo.pcap" "$port"
  # The server accepts P-256 only; the client's first key_share is X25519, so the server asks again (HRR).
  openssl s_server -quiet -rev -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 \
    -groups P-256 >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 1
  # A line "K" makes s_client send KeyUpdate with update_requested, so the server updates its keys too.
  (printf 'hello, capture\n'; sleep 0.5; printf 'K\n'; sleep 0.5; printf 'after update\n'; sleep 1) |
    openssl s_client -no_ign_eof -connect "127.0.0.1:$port" -servername localhost -tls1_3 -groups X25519:P-256 \
      -keylogfile "$work/tls13-hrr-keyupdate.keys.log" >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  stop_capture
  cp "$work/tls13-hrr-keyupdate-lo.pcap" "$work/tls13-hrr-keyupdate.keys.log" "$out/"
}

record_tls12_reneg() { # record_tls12_reneg PORT: TLS 1.2, then a client-initiated renegotiation, with its key log
  local port="$1"
  capture_lo "$work/tls12-reneg-lo.pcap" "$port"
  # OpenSSL 3 servers refuse a client's renegotiation unless allowed; -no_resumption_on_reneg makes the second
  # handshake a full one (a new master secret, so a second CLIENT_RANDOM line). s_server keeps its stdin open.
  (sleep 6) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_2 \
    -client_renegotiation -no_resumption_on_reneg >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 1
  # A line "R" makes s_client renegotiate; a line "Q" ends the connection with close_notify.
  (printf 'hello before\n'; sleep 0.5; printf 'R\n'; sleep 1; printf 'hello after\n'; sleep 0.5; printf 'Q\n') |
    openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_2 \
      -keylogfile "$work/tls12-reneg.keys.log" >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  stop_capture
  cp "$work/tls12-reneg-lo.pcap" "$work/tls12-reneg.keys.log" "$out/"
}

record_tls13_early() { # record_tls13_early PORT: a session ticket, then 0-RTT accepted, then 0-RTT rejected
  local port="$1" keys="$work/tls13-early.keys.log"
  capture_lo "$work/tls13-early-lo.pcap" "$port"
  printf 'early hello\n' >"$work/early.txt"
  # Connection 1: a full handshake; the client keeps the server's ticket (-sess_out). Connection 2 resumes with it
  # and sends early data, which this server (-early_data) accepts. s_server keeps its stdin open.
  (sleep 5) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 \
    -early_data -no_anti_replay >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 1
  (printf 'hello, capture\n'; sleep 1) | openssl s_client -no_ign_eof -connect "127.0.0.1:$port" \
    -servername localhost -tls1_3 -sess_out "$work/session.pem" -keylogfile "$keys" >/dev/null 2>&1 || true
  (printf 'second\n'; sleep 1) | openssl s_client -no_ign_eof -connect "127.0.0.1:$port" -servername localhost \
    -tls1_3 -sess_in "$work/session.pem" -early_data "$work/early.txt" -keylogfile "$keys" >/dev/null 2>&1 || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  # Connection 3: a new server (new ticket keys, no -early_data) cannot resume: a full handshake, the early data
  # the client sent is skipped (RFC 8446 §4.2.10).
  (sleep 3) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 \
    >/dev/null 2>&1 &
  server=$!
  pids+=("$server")
  sleep 1
  (printf 'third\n'; sleep 1) | openssl s_client -no_ign_eof -connect "127.0.0.1:$port" -servername localhost \
    -tls1_3 -sess_in "$work/session.pem" -early_data "$work/early.txt" -keylogfile "$keys" >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  stop_capture
  cp "$work/tls13-early-lo.pcap" "$keys" "$out/"
}

record_tls12_resume() { # record_tls12_resume PORT: TLS 1.2 sessions resumed by session ID and by ticket
  local port="$1" kind name
  for kind in id ticket; do
    if [ "$kind" = ticket ]; then name=tls12-resume-ticket; else name=tls12-resume; fi
    capture_lo "$work/$name-lo.pcap" "$port"
    # -no_ticket: the server resumes by session ID (RFC 5246 §7.3); without it, by ticket (RFC 5077). s_client
    # -reconnect connects 6 times: a full handshake, then five abbreviated ones with its session.
    local tickets=()
    [ "$kind" = ticket ] || tickets=(-no_ticket)
    (sleep 4) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_2 \
      "${tickets[@]}" >/dev/null 2>&1 &
    local server=$!
    pids+=("$server")
    sleep 1
    (sleep 2) | openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_2 -reconnect \
      -keylogfile "$work/$name.keys.log" >/dev/null 2>&1 || true
    sleep 1
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    stop_capture
    # Only the first connection's line: the others resume its session (Wireshark reads them with it).
    grep -m1 '^CLIENT_RANDOM ' "$work/$name.keys.log" >"$work/$name.first-only.keys.log"
    cp "$work/$name-lo.pcap" "$work/$name.keys.log" "$work/$name.first-only.keys.log" "$out/"
  done
}

record_tls13_client_cert() { # record_tls13_client_cert PORT: TLS 1.3, the server rejects the client's certificate
  local port="$1" name=tls13-client-cert-rejected
  # The client's certificate is self-signed; the server trusts only its own certificate for client certificates.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=client -days 2 \
    -keyout "$work/client-key.pem" -out "$work/client-cert.pem" 2>/dev/null
  capture_lo "$work/$name-lo.pcap" "$port"
  (sleep 3) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 \
    -Verify 1 -verify_return_error -CAfile "$work/cert.pem" >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 1
  # After its Finished the client has nothing more to do; the server checks its certificate and sends unknown_ca.
  (sleep 1) | openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_3 \
    -cert "$work/client-cert.pem" -key "$work/client-key.pem" -keylogfile "$work/$name.keys.log" >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  stop_capture
  cp "$work/$name-lo.pcap" "$work/$name.keys.log" "$out/"
}

record_libpq18_client_cert() { # record_libpq18_client_cert PORT: libpq 18's client certificate refused by PostgreSQL
  local port="$1" name=libpq18-client-cert-rejected
  # Real libpq 18 (psycopg's binary wheel, through the oracle's psql shim) writes its key log (sslkeylogfile). The
  # server asks for a client certificate (ssl_ca_file: only its own certificate); libpq sends a self-signed one,
  # then its Finished and at once its StartupMessage; PostgreSQL's OpenSSL answers unknown_ca.
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check --retries 0 -r "$here/scripts/libpq18/requirements.txt"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=postgres -days 2 \
    -keyout "$work/pq-client-key.pem" -out "$work/pq-client-cert.pem" 2>/dev/null
  chmod 600 "$work/pq-client-key.pem"
  start_pg "$port" "-c ssl_ca_file=$work/pg-$port/server.crt"
  capture_lo "$work/$name-lo.pcap" "$port"
  "$work/venv/bin/python" "$here/scripts/libpq18/psql-shim.py" -X -w -At -c 'select 1' \
    "host=127.0.0.1 port=$port user=postgres dbname=postgres sslmode=require sslcert=$work/pq-client-cert.pem sslkey=$work/pq-client-key.pem sslkeylogfile=$work/$name.keys.log" \
    >/dev/null 2>"$work/$name.psql.txt" || true
  if ! grep -q 'SSL error: tlsv1 alert unknown ca' "$work/$name.psql.txt"; then
    echo "record-pcaps: libpq 18 did not fail as expected; it printed:" >&2
    cat "$work/$name.psql.txt" >&2
    exit 1
  fi
  stop_capture
  stop_pg "$port"
  cp "$work/$name-lo.pcap" "$work/$name.keys.log" "$out/"
}

record_tls13_pha() { # record_tls13_pha PORT: TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2)
  local port="$1" name=tls13-pha
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=client -days 2 \
    -keyout "$work/pha-key.pem" -out "$work/pha-cert.pem" 2>/dev/null
  capture_lo "$work/$name-lo.pcap" "$port"
  # s_server's "c" command asks for a client certificate after the handshake; the client (-enable_pha) answers with
  # Certificate, CertificateVerify and Finished under its application keys, then sends a line the server reads.
  (sleep 1.5; printf 'c\n'; sleep 1.5; printf 'from server\n'; sleep 1.5) | openssl s_server -accept "127.0.0.1:$port" \
    -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 -CAfile "$work/pha-cert.pem" >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 0.5
  (printf 'hello\n'; sleep 2; printf 'after pha\n'; sleep 2.5) | openssl s_client -connect "127.0.0.1:$port" \
    -servername localhost -tls1_3 -enable_pha -cert "$work/pha-cert.pem" -key "$work/pha-key.pem" \
    -keylogfile "$work/$name.keys.log" -no_ign_eof >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  stop_capture
  cp "$work/$name-lo.pcap" "$work/$name.keys.log" "$out/"
}

record_tls13_early_suite() { # record_tls13_early_suite PORT: 0-RTT sent under the session's suite, another chosen
  local port="$1" name=tls13-early-suite keys="$work/tls13-early-suite.keys.log"
  capture_lo "$work/$name-lo.pcap" "$port"
  printf 'early hello\n' >"$work/early.txt"
  # Connection 1: a ticket for a TLS_AES_128_GCM_SHA256 session. Connection 2: a new server (new ticket keys) that
  # prefers ChaCha20: a full handshake under TLS_CHACHA20_POLY1305_SHA256, the early data (sent under the session's
  # AES-128-GCM, RFC 8446 §4.2.10) skipped.
  (sleep 2.5) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 \
    -early_data >/dev/null 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 0.5
  (printf 'first\n'; sleep 1) | openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_3 \
    -ciphersuites TLS_AES_128_GCM_SHA256 -keylogfile "$keys" -sess_out "$work/early-suite.pem" -no_ign_eof \
    >/dev/null 2>&1 || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  (sleep 3) | openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_3 \
    -serverpref -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256 >/dev/null 2>&1 &
  server=$!
  pids+=("$server")
  sleep 0.5
  (printf 'second\n'; sleep 1) | openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_3 \
    -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256 -keylogfile "$keys" \
    -sess_in "$work/early-suite.pem" -early_data "$work/early.txt" -no_ign_eof >/dev/null 2>&1 || true
  sleep 1
  kill "$server" 2>/dev/null || true
  stop_capture
  cp "$work/$name-lo.pcap" "$keys" "$out/"
}

record_tls13_bulk() { # record_tls13_bulk PORT: 40 kB each way in 16 kB records over TCP segments that split them
  local port="$1" name=tls13-bulk ns=tls-lab-rec-bulk
  # A network namespace whose loopback has Ethernet's MTU: most of its TCP segments (a few MTUs each, as loopback's
  # segmentation offload hands them to tcpdump: mostly 7-9 kB here) are smaller than a 16 kB record, so most records
  # span segments, as on a real network (the host's loopback, MTU 65536, carries a whole record in one segment).
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up mtu 1500
  python3 -c "print('x' * 40000)" >"$work/bulk.txt"
  ip netns exec "$ns" bash -c "
    tcpdump -i lo -U -w '$work/$name-lo.pcap' 'tcp port $port' 2>/dev/null & cap=\$!
    sleep 2
    openssl s_server -quiet -rev -accept 127.0.0.1:$port -cert '$work/cert.pem' -key '$work/key.pem' -tls1_3 >/dev/null 2>&1 & server=\$!
    sleep 1
    (cat '$work/bulk.txt'; sleep 1) | openssl s_client -quiet -no_ign_eof -connect 127.0.0.1:$port -servername localhost \
      -tls1_3 -keylogfile '$work/$name.keys.log' >/dev/null 2>&1 || true
    sleep 1; kill \$server 2>/dev/null || true; sleep 1
    kill -INT \$cap; wait \$cap || true"
  ip netns del "$ns"
  cp "$work/$name-lo.pcap" "$work/$name.keys.log" "$out/"
  # The same capture from the server segment that completes its first record spread over several segments: it
  # begins inside that record, as a capture started in the middle of a transfer does.
  local cut
  cut="$(tshark -2 -n -r "$out/$name-lo.pcap" -d "tcp.port==$port,tls" -T fields -e tcp.srcport -e tcp.reassembled_in |
    awk -F'\t' -v p="$port" '$1 == p && $2 != "" { print $2; exit }')"
  editcap -r "$out/$name-lo.pcap" "$out/$name-lo-mid-record.pcap" "$cut-1000000"
}

sessions=("$@")
[ ${#sessions[@]} -gt 0 ] || sessions=(tls12 tls13 psql tls-lab tls13-hrr tls12-reneg tls13-early tls12-resume tls13-client-cert tls13-bulk tls13-pha tls13-early-suite libpq18-client-cert)
for s in "${sessions[@]}"; do
  case "$s" in
    tls12)
      record tls12 44312 -tls1_2
      # The same capture from its first application data on, as a capture started after the handshake.
      first="$(tshark -n -r "$out/tls12-lo.pcap" -Y 'tls.record.content_type == 23' -T fields -e frame.number | head -1)"
      editcap -r "$out/tls12-lo.pcap" "$out/tls12-lo-after-handshake.pcap" "$first-1000000" ;;
    tls13)
      record tls13 44313 -tls1_3
      # The same capture cut to 150 bytes a packet, as tcpdump -s 150 would have taken it.
      editcap -s 150 "$out/tls13-lo.pcap" "$out/tls13-lo-snap150.pcap" ;;
    psql) record_psql 44314 ;;
    tls-lab) record_tls_lab 44315 ;;
    tls13-hrr) record_tls13_hrr 44316 ;;
    tls12-reneg) record_tls12_reneg 44317 ;;
    tls13-early) record_tls13_early 44318 ;;
    tls12-resume) record_tls12_resume 44319 ;;
    tls13-client-cert) record_tls13_client_cert 44320 ;;
    tls13-bulk) record_tls13_bulk 24321 ;;
    tls13-pha) record_tls13_pha 44322 ;;
    tls13-early-suite) record_tls13_early_suite 44323 ;;
    libpq18-client-cert) record_libpq18_client_cert 44324 ;;
    *) echo "record-pcaps: unknown session $s (tls12, tls13, psql, tls-lab, tls13-hrr, tls12-reneg, tls13-early, tls12-resume, tls13-client-cert, tls13-bulk, tls13-pha, tls13-early-suite, libpq18-client-cert)" >&2; exit 2 ;;
  esac
done
chmod 644 "$out"/*
ls -l "$out"
