#!/usr/bin/env bash
# make-certs.sh OUTDIR
#
# Generates the TLS test PKI used by the otaprobe TLS lab with the openssl CLI
# (written for OpenSSL 3.0; no network, no faketime).
#
#   root.pem / root.key                 "otaprobe Test Root"          RSA 2048, CA:true (critical), keyCertSign,cRLSign
#   intermediate.pem / intermediate.key "otaprobe Test Intermediate"  RSA 2048, signed by root, CA:true pathlen:0
#   other-root.pem / other-root.key     "otaprobe Other Root"         RSA 2048, unrelated root
#
# Leaves (signed by the intermediate; SAN DNS:localhost, CN localhost, valid
# yesterday .. +365 days, EKU serverAuth, KU digitalSignature,keyEncipherment
# unless noted):
#   rsa2048 rsa4096 rsa8192 ecdsa-p256 ecdsa-p384 ecdsa-p521 ed25519
#   rsapss      (key type RSA-PSS 2048)
#   expired     (RSA 2048, notBefore -400 d, notAfter -30 d)
#   notyet      (RSA 2048, notBefore +30 d, notAfter +400 d)
#   wrongname   (RSA 2048, SAN DNS:example.com, CN example.com)
#   iponly      (RSA 2048, SAN IP:127.0.0.1 only, CN 127.0.0.1)
#   cnonly      (RSA 2048, no SAN at all, CN localhost)
#   selfsigned  (RSA 2048, self-signed, CN localhost, SAN DNS:localhost, CA:false)
#
# Per leaf X: X.key, X.pem (leaf only), X-chain.pem (leaf + intermediate;
# for selfsigned: the leaf only), X.pub.pem (public key), X.sha1 (SHA-1 of
# the leaf DER as AA:BB:.. uppercase).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
OUT=$1
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# UTCTime for openssl ca -startdate/-enddate, relative to now (days)
utc() { date -u -d "$1 days" +%y%m%d%H%M%SZ; }

cat > "$WORK/ca.cnf" <<EOF
[ ca ]
default_ca = lab_ca
[ lab_ca ]
dir              = $WORK
database         = $WORK/index.txt
new_certs_dir    = $WORK/newcerts
serial           = $WORK/serial
default_md       = sha256
policy           = policy_any
unique_subject   = no
copy_extensions  = none
email_in_dn      = no
[ policy_any ]
commonName       = supplied
organizationName = optional
[ req ]
distinguished_name = req_dn
prompt           = no
[ req_dn ]
CN = unused
[ v3_root ]
basicConstraints       = critical,CA:true
keyUsage               = critical,keyCertSign,cRLSign
subjectKeyIdentifier   = hash
[ v3_intermediate ]
basicConstraints       = critical,CA:true,pathlen:0
keyUsage               = critical,keyCertSign,cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf_localhost ]
basicConstraints       = CA:false
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_leaf_wrongname ]
basicConstraints       = CA:false
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:example.com
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_leaf_iponly ]
basicConstraints       = CA:false
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_leaf_cnonly ]
basicConstraints       = CA:false
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_selfsigned ]
basicConstraints       = critical,CA:false
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost
subjectKeyIdentifier   = hash
EOF
mkdir -p "$WORK/newcerts"
: > "$WORK/index.txt"
echo 1000 > "$WORK/serial"

genkey() { # name algo-args...
  local name=$1; shift
  openssl genpkey -quiet "$@" -out "$OUT/$name.key" 2>/dev/null || openssl genpkey "$@" -out "$OUT/$name.key" 2>/dev/null
}
rsa()  { genkey "$1" -algorithm RSA -pkeyopt "rsa_keygen_bits:$2"; }
ec()   { genkey "$1" -algorithm EC -pkeyopt "ec_paramgen_curve:$2" -pkeyopt ec_param_enc:named_curve; }

# The slow one first, in the background.
rsa rsa8192 8192 &
BG=$!

rsa root 2048
rsa intermediate 2048
rsa other-root 2048
rsa rsa2048 2048
rsa rsa4096 4096
ec ecdsa-p256 P-256
ec ecdsa-p384 P-384
ec ecdsa-p521 P-521
genkey ed25519 -algorithm ED25519
genkey rsapss -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048
for n in expired notyet wrongname iponly cnonly selfsigned; do rsa "$n" 2048; done

# sign NAME SUBJECT EXTSECTION SIGNER(self|root|intermediate) START_DAYS END_DAYS
sign() {
  local name=$1 subj=$2 ext=$3 signer=$4 start=$5 end=$6
  openssl req -new -config "$WORK/ca.cnf" -key "$OUT/$name.key" -subj "$subj" -out "$WORK/$name.csr"
  local signargs
  if [ "$signer" = self ]; then
    signargs=(-selfsign -keyfile "$OUT/$name.key")
  else
    signargs=(-cert "$OUT/$signer.pem" -keyfile "$OUT/$signer.key")
  fi
  openssl ca -batch -notext -config "$WORK/ca.cnf" "${signargs[@]}" \
    -extfile "$WORK/ca.cnf" -extensions "$ext" \
    -startdate "$(utc "$start")" -enddate "$(utc "$end")" \
    -in "$WORK/$name.csr" -out "$OUT/$name.pem" 2>/dev/null
}

sign root         "/CN=otaprobe Test Root"         v3_root         self -1 3650
sign other-root   "/CN=otaprobe Other Root"        v3_root         self -1 3650
sign intermediate "/CN=otaprobe Test Intermediate" v3_intermediate root -1 3650

finish_leaf() { # name [chain-with-intermediate: yes|no]
  local name=$1 chain=${2:-yes}
  if [ "$chain" = yes ]; then
    cat "$OUT/$name.pem" "$OUT/intermediate.pem" > "$OUT/$name-chain.pem"
  else
    cat "$OUT/$name.pem" > "$OUT/$name-chain.pem"
  fi
  openssl pkey -in "$OUT/$name.key" -pubout -out "$OUT/$name.pub.pem"
  openssl x509 -in "$OUT/$name.pem" -noout -fingerprint -sha1 | sed 's/^.*=//' | tr 'a-f' 'A-F' > "$OUT/$name.sha1"
}

for n in rsa2048 rsa4096 ecdsa-p256 ecdsa-p384 ecdsa-p521 ed25519 rsapss; do
  sign "$n" "/CN=localhost" v3_leaf_localhost intermediate -1 365
  finish_leaf "$n"
done
sign expired   "/CN=localhost"   v3_leaf_localhost intermediate -400 -30; finish_leaf expired
sign notyet    "/CN=localhost"   v3_leaf_localhost intermediate 30 400;   finish_leaf notyet
sign wrongname "/CN=example.com" v3_leaf_wrongname intermediate -1 365;   finish_leaf wrongname
sign iponly    "/CN=127.0.0.1"   v3_leaf_iponly    intermediate -1 365;   finish_leaf iponly
sign cnonly    "/CN=localhost"   v3_leaf_cnonly    intermediate -1 365;   finish_leaf cnonly
sign selfsigned "/CN=localhost"  v3_selfsigned     self -1 365;           finish_leaf selfsigned no

wait "$BG"
sign rsa8192 "/CN=localhost" v3_leaf_localhost intermediate -1 365
finish_leaf rsa8192

# Sanity checks: every chained leaf verifies against the root.
for n in rsa2048 rsa4096 rsa8192 ecdsa-p256 ecdsa-p384 ecdsa-p521 ed25519 rsapss wrongname iponly cnonly; do
  openssl verify -CAfile "$OUT/root.pem" -untrusted "$OUT/intermediate.pem" "$OUT/$n.pem" > /dev/null
done
echo "certificates written to $OUT"
