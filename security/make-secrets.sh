#!/bin/sh
# Makes what the "secure" compose profile needs, once, into two folders (two volumes, so that each container
# sees only its own secrets):
#   BROKER_DIR/broker.p12               the broker's key and a certificate for the host name "kafka-secure",
#                                       signed by a private CA
#   BROKER_DIR/broker-secrets.properties  its key store password, read through Kafka's FileConfigProvider
#   BRIDGE_DIR/ca.pem                   the CA's certificate: what the bridge trusts
#   BRIDGE_DIR/bridge.password          the SCRAM-SHA-512 password of the Kafka user "telemetry-bridge"
#   BRIDGE_DIR/ingest.token, read.token the bridge's HTTP tokens
# The CA's private key is deleted once the broker's certificate is signed. Needs a JDK's keytool.
# Run again only after emptying both folders.
set -eu
broker=${1:?usage: make-secrets.sh BROKER_DIR BRIDGE_DIR}
bridge=${2:?usage: make-secrets.sh BROKER_DIR BRIDGE_DIR}
if [ -f "$broker/broker.p12" ]; then
  echo "secrets already made in $broker and $bridge"
  exit 0
fi
work=$(mktemp -d)
cd "$work"
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
mv broker.p12 broker-secrets.properties "$broker"/
mv ca.pem bridge.password ingest.token read.token "$bridge"/
cd / && rm -rf "$work"
# Readable by the broker and bridge containers, which do not run as root; each sees only its own folder.
chmod 644 "$broker"/* "$bridge"/*
echo "secrets made in $broker and $bridge"
