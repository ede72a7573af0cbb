#!/usr/bin/env bash
# Regenerates fixtures/keystores/: Java keystores written by the JDK's keytool, and what `keytool -list -v` says of
# each (the aliases, entry types and SHA-256 fingerprints the tests compare with).
#   keytool.jks    JKS: a CA's private key entry, a server's private key entry whose chain is the server's
#                  certificate (issued by that CA with keytool -gencert) and the CA's, and another root's trusted
#                  certificate entry (made in a keystore of its own, then imported).
#   keytool.jceks  JCEKS: the same entries and an AES secret key entry (a serialized Java object).
# Store and key password: changeit. Needs a JDK (keytool). The keys are new each run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/fixtures/keystores"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kt() { keytool "$@" -storepass changeit -keypass changeit 2>/dev/null; }

kt -genkeypair -alias other -keyalg EC -groupname secp256r1 -dname 'CN=TLS Lab keytool other root' -ext bc:c \
  -validity 36500 -storetype JKS -keystore "$work/other.jks"
kt -exportcert -rfc -alias other -storetype JKS -keystore "$work/other.jks" -file "$work/other.pem"

for type in JKS JCEKS; do
  ks="$work/keytool.$(echo "$type" | tr 'A-Z' 'a-z')"
  kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname 'CN=TLS Lab keytool CA' -ext bc:c -validity 36500 \
    -storetype "$type" -keystore "$ks"
  kt -exportcert -rfc -alias ca -storetype "$type" -keystore "$ks" -file "$work/ca.pem"
  kt -genkeypair -alias server -keyalg EC -groupname secp256r1 -dname 'CN=db.example.test' -validity 36500 \
    -storetype "$type" -keystore "$ks"
  kt -certreq -alias server -storetype "$type" -keystore "$ks" -file "$work/server.csr"
  kt -gencert -alias ca -ext san=dns:db.example.test -validity 36500 -rfc -storetype "$type" -keystore "$ks" \
    -infile "$work/server.csr" -outfile "$work/server.pem"
  kt -importcert -noprompt -alias server -storetype "$type" -keystore "$ks" -file "$work/server.pem"
  kt -importcert -noprompt -alias other-root -storetype "$type" -keystore "$ks" -file "$work/other.pem"
  if [ "$type" = JCEKS ]; then
    kt -genseckey -alias aes -keyalg AES -keysize 128 -storetype JCEKS -keystore "$ks"
  fi
  kt -list -v -storetype "$type" -keystore "$ks" >"$ks.list.txt"
  cp "$ks" "$ks.list.txt" "$out/"
done
ls -l "$out"
