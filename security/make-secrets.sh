#!/bin/sh
# Makes what the "secure" compose profile needs, once, into the folder given (a shared volume):
#   ca.p12 / ca.pem        a private CA (its PEM certificate is what the bridge trusts)
#   broker.p12             the broker's key and a certificate for the host name "kafka-secure", signed by the CA
#   store.password         the broker's key store password (also in broker-secrets.properties, which the
#                          broker reads through Kafka's FileConfigProvider)
#   bridge.password        the SCRAM-SHA-512 password of the Kafka user "telemetry-bridge"
#   ingest.token / read.token   the bridge's HTTP tokens
# Needs a JDK's keytool. Run again only after deleting the folder's contents.
set -eu
out=${1:?usage: make-secrets.sh DIR}
cd "$out"
if [ -f broker.p12 ]; then
  echo "secrets already made in $out"
  exit 0
fi
random() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
random > store.password
random > bridge.password
random > ingest.token
random > read.token
pass=$(cat store.password)
printf 'store.password=%s\n' "$pass" > broker-secrets.properties
keytool -genkeypair -alias ca -keyalg RSA -keysize 3072 -dname CN=telemetry-bridge-demo-ca -ext bc:c \
  -validity 825 -keystore ca.p12 -storetype PKCS12 -storepass "$pass"
keytool -exportcert -rfc -alias ca -keystore ca.p12 -storepass "$pass" -file ca.pem
keytool -genkeypair -alias broker -keyalg RSA -keysize 3072 -dname CN=kafka-secure -validity 825 \
  -keystore broker.p12 -storetype PKCS12 -storepass "$pass"
keytool -certreq -alias broker -keystore broker.p12 -storepass "$pass" -file broker.csr
keytool -gencert -alias ca -keystore ca.p12 -storepass "$pass" -infile broker.csr -outfile broker.pem -rfc \
  -ext SAN=dns:kafka-secure,dns:localhost -validity 825
keytool -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12 -storepass "$pass"
keytool -importcert -alias broker -file broker.pem -keystore broker.p12 -storepass "$pass"
rm broker.csr
# Readable by the broker and the bridge containers, which do not run as root.
chmod 644 ./*
echo "secrets made in $out"
