#!/usr/bin/env bash
# Installs the system programs the tests run against, when they are missing: Debian's Chromium (end-to-end
# tests), PostgreSQL (sslmode oracle tests: the real server and psql/libpq), tshark and tcpdump (capture files),
# OpenSSL (interop and chain oracles), a JDK and Debian's pgJDBC (the pgJDBC oracle) and python3 with its venv module (the libpq 18 oracle installs psycopg's binary wheel, which bundles
# libpq 18, into a virtual environment). Runs before `npm test`. Only apt-get, only what is missing; as root it installs, otherwise it
# says exactly what to run.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/nonexistent}" ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
id postgres >/dev/null 2>&1 || missing+=(postgresql)
# The libpq 18 oracle makes a virtual environment for psycopg's binary wheel (libpq 18).
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
# The capture-file tests: tshark reads the pcapng we write; tcpdump (and dumpcap/editcap, which tshark brings
# in through wireshark-common) made fixtures/pcap (scripts/record-pcaps.sh).
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
# The pgJDBC oracle: a JDK (javac compiles its shim) and Debian's pgJDBC jar.
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
[ -f /usr/share/java/postgresql.jar ] || missing+=(libpostgresql-jdbc-java)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

# De-duplicate.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "system-deps: missing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: run as root once: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; answer no without a prompt.
if printf '%s\n' "${missing[@]}" | grep -qx tshark; then
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" ca-certificates
# Debian's postgresql package starts a cluster on port 5432; the tests start their own on free ports.
echo "system-deps: installed ${missing[*]}"
