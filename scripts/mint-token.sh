#!/usr/bin/env bash
# Mints a JWT bearer token for the service's writes (RS256), with openssl and bash only; prints it.
#
#   scripts/mint-token.sh keys DIR                     # a new RSA key pair: DIR/private.pem, DIR/public.pem
#   scripts/mint-token.sh --key DIR/private.pem --issuer ISSUER --upn alice@example.com [--sub ID] [--ttl SECONDS]
#
# The service verifies it with MP_JWT_VERIFY_PUBLICKEY_LOCATION=DIR/public.pem and MP_JWT_VERIFY_ISSUER=ISSUER.
# For dev mode with tokens (docs/operations.md, "Authentication"): scripts/mint-token.sh keys target/dev-jwt,
# then MP_JWT_VERIFY_PUBLICKEY_LOCATION=target/dev-jwt/public.pem MP_JWT_VERIFY_ISSUER=tasks-dev
# TASKS_AUTH_WRITES=jwt ./mvnw quarkus:dev, and mint as below. The principal recorded as actor is upn, else sub (sub defaults to the upn; with
# --sub alone the token has no upn). --ttl defaults to 3600; a negative one makes an expired token.
#
#   token=$(scripts/mint-token.sh --key target/dev-jwt/private.pem --issuer tasks-dev --upn alice)
#   curl -X POST localhost:8080/tasks -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"title":"x"}'
set -euo pipefail

usage() {
  sed -n '4,5p' "$0" | sed 's/^# *//' >&2
  exit 2
}

if [[ ${1:-} == keys ]]; then
  [[ -n ${2:-} ]] || usage
  mkdir -p "$2"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2/private.pem" 2>/dev/null)
  openssl pkey -in "$2/private.pem" -pubout -out "$2/public.pem"
  echo "$2/private.pem signs, $2/public.pem verifies" >&2
  exit 0
fi

key="" issuer="" upn="" sub="" ttl=3600
while (($#)); do
  case $1 in
    --key) key=${2:-} ;;
    --issuer) issuer=${2:-} ;;
    --upn) upn=${2:-} ;;
    --sub) sub=${2:-} ;;
    --ttl) ttl=${2:-} ;;
    *) usage ;;
  esac
  shift 2 || usage
done
[[ -f $key && -n $issuer && (-n $upn || -n $sub) ]] || usage
[[ $ttl =~ ^-?[0-9]+$ ]] || usage
# Values go into the JSON as they are, so they keep to characters that need no escaping.
for value in "$issuer" "$upn" "$sub"; do
  [[ $value =~ ^[A-Za-z0-9\ ._:@/+=~-]*$ ]] || { echo "unsupported character in '$value'" >&2; exit 2; }
done

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
claims=$(printf '"iss":"%s","sub":"%s","iat":%d,"exp":%d,"jti":"%s"' "$issuer" "${sub:-$upn}" "$now" \
  "$((now + ttl))" "$(openssl rand -hex 16)")
[[ -n $upn ]] && claims+=$(printf ',"upn":"%s"' "$upn")
input="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '{%s}' "$claims" | b64url)"
signature=$(printf '%s' "$input" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s\n' "$input" "$signature"
