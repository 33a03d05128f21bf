#!/usr/bin/env bash
# Writes the TLS fixtures of the reliability tests into DIR (created if missing):
#   ca.pem                       a test CA
#   good.pem / good.key          signed by the CA for 127.0.0.1 and localhost: verification passes
#   self_signed.pem / .key       for 127.0.0.1 and localhost, but signed by itself
#   expired.pem / .key           signed by the CA for 127.0.0.1 and localhost, valid only in 2020
#   wrong_host.pem / .key        signed by the CA, valid now, for wrong.example.com only
#   not_pem.pem                  text that is not PEM: a CA file that cannot be used
#   corrupt.pem                  a PEM certificate block whose contents are not a certificate
# Every layer's TLS test (C, Python, Go) uses this one script, so the fixtures cannot drift.
# `openssl x509 -req -days` cannot date a certificate in the past, so the expired one is
# issued with `openssl ca -startdate/-enddate` from a throw-away CA database.
set -euo pipefail
dir=${1:?usage: make_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"

quiet() { "$@" >/dev/null 2>&1 || { echo "make_certs.sh: failed: $*" >&2; "$@"; exit 1; }; }

new_key() { quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# A leaf's extensions: server authentication for the given subjectAltName.
leaf_ext() {
  cat >"$1" <<EXT
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $2
EXT
}

new_key ca.key
quiet openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=libdcs reliability test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.pem

local_san="IP:127.0.0.1, DNS:localhost"

# Signed by the CA, valid for two days from now.
ca_sign() {
  local name=$1 san=$2
  new_key "$name.key"
  leaf_ext "$name.ext" "$san"
  quiet openssl req -new -key "$name.key" -subj "/CN=$name" -out "$name.csr"
  quiet openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 \
    -days 2 -extfile "$name.ext" -out "$name.pem"
}

ca_sign good "$local_san"
ca_sign wrong_host "DNS:wrong.example.com"

new_key self_signed.key
leaf_ext self_signed.ext "$local_san"
quiet openssl req -x509 -new -key self_signed.key -sha256 -days 2 -subj "/CN=self signed" \
  -extensions v3_leaf -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[v3_leaf]\n'; cat self_signed.ext) \
  -out self_signed.pem

# Expired: `openssl ca` takes explicit start and end dates.
new_key expired.key
leaf_ext expired.ext "$local_san"
quiet openssl req -new -key expired.key -subj "/CN=expired" -out expired.csr
mkdir -p ca-db
: >ca-db/index.txt
echo 1000 >ca-db/serial
cat >ca-db/ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
CNF
quiet openssl ca -batch -config ca-db/ca.cnf -notext -startdate 20200101000000Z \
  -enddate 20200102000000Z -extfile expired.ext -in expired.csr -out expired.pem

# Unusable CA files. (An unreadable mode would prove nothing as root, who reads anyway.)
echo "this is not a certificate" >not_pem.pem
printf -- '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' >corrupt.pem

rm -f ./*.csr ./*.ext ca.srl
rm -rf ca-db
