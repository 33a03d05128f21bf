#!/usr/bin/env bash
# signed-curl.sh METHOD URL [BODY]
#
# Signs one request with SDK-HMAC-SHA256 using nothing but bash and openssl, then
# sends it with curl. The proof that a plain curl request works against the emulator
# (or the real DCS endpoint): no SDK involved.
#
# Credentials come from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and
# HUAWEICLOUD_SDK_PROJECT_ID (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones).
# Extra curl options can be given in SIGNED_CURL_OPTS (e.g. "-i" or "--cacert c.pem").
# X_SDK_DATE overrides the signing time (yyyyMMddTHHmmssZ), for tests.
set -euo pipefail
export LC_ALL=C # byte-wise string handling and sorting, as the signer needs

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 METHOD URL [BODY]" >&2
  exit 2
fi
method=$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')
url=$2
body=${3-}
: "${HUAWEICLOUD_SDK_AK:?set HUAWEICLOUD_SDK_AK}"
: "${HUAWEICLOUD_SDK_SK:?set HUAWEICLOUD_SDK_SK}"
: "${HUAWEICLOUD_SDK_PROJECT_ID:?set HUAWEICLOUD_SDK_PROJECT_ID}"

# Strict RFC 3986 encoding, upper-case hex.
encode() {
  local s=$1 out="" c hex i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) printf -v hex '%%%02X' "'$c"; out+=$hex ;;
    esac
  done
  printf '%s' "$out"
}

# Percent-decoding; '+' stays a plus sign.
decode() {
  local s=${1//\\/\\\\}
  printf '%b' "${s//%/\\x}"
}

sha256_hex() { openssl dgst -sha256 | awk '{print $NF}'; }

# Split the URL: scheme://authority/path?query
scheme=${url%%://*}
rest=${url#*://}
authority=${rest%%/*}
authority=${authority%%\?*}
rest=${rest#"$authority"}
path=${rest%%\?*}
[[ -z $path ]] && path=/
query=""
[[ $rest == *\?* ]] && query=${rest#*\?}

# Canonical URI: decode, encode each segment, end with '/'.
IFS=/ read -r -a segments <<<"$(decode "$path")"
canonical_uri=""
for seg in "${segments[@]}"; do canonical_uri+="$(encode "$seg")/"; done
canonical_uri=${canonical_uri%/}
[[ $canonical_uri == /* ]] || canonical_uri="/$canonical_uri"
[[ $canonical_uri == */ ]] || canonical_uri+=/

# Canonical query: decode pairs, sort by key then value, re-encode. The same string
# is sent on the wire, so what is signed is exactly what arrives.
canonical_query=""
if [[ -n $query ]]; then
  canonical_query=$(
    IFS='&' read -r -a items <<<"$query"
    for item in "${items[@]}"; do
      [[ -z $item ]] && continue
      k=${item%%=*}
      v=""
      [[ $item == *=* ]] && v=${item#*=}
      printf '%s\t%s\n' "$(decode "$k")" "$(decode "$v")"
    done | sort -t $'\t' -k1,1 -k2,2 | while IFS=$'\t' read -r k v; do
      printf '%s=%s&' "$(encode "$k")" "$(encode "$v")"
    done
  )
  canonical_query=${canonical_query%&}
fi

date=${X_SDK_DATE:-$(date -u +%Y%m%dT%H%M%SZ)}
declare -A headers=(
  [host]=$authority
  [x-project-id]=$HUAWEICLOUD_SDK_PROJECT_ID
  [x-sdk-date]=$date
)
[[ -n $body ]] && headers[content-type]="application/json"
[[ -n ${HUAWEICLOUD_SDK_SECURITY_TOKEN-} ]] && headers[x-security-token]=$HUAWEICLOUD_SDK_SECURITY_TOKEN

signed_headers=$(printf '%s\n' "${!headers[@]}" | sort | paste -sd ';')
canonical_headers=""
for name in $(printf '%s\n' "${!headers[@]}" | sort); do
  canonical_headers+="$name:${headers[$name]}"$'\n'
done
if [[ -n $body ]]; then
  payload_hash=$(printf '%s' "$body" | sha256_hex)
else
  payload_hash=$(printf '' | sha256_hex)
fi

canonical_request="$method"$'\n'"$canonical_uri"$'\n'"$canonical_query"$'\n'"$canonical_headers"$'\n'"$signed_headers"$'\n'"$payload_hash"
string_to_sign="SDK-HMAC-SHA256"$'\n'"$date"$'\n'"$(printf '%s' "$canonical_request" | sha256_hex)"
signature=$(printf '%s' "$string_to_sign" | openssl dgst -sha256 -hmac "$HUAWEICLOUD_SDK_SK" | awk '{print $NF}')

if [[ -n ${SIGNED_CURL_DEBUG-} ]]; then
  printf '%s\n---\n%s\n' "$canonical_request" "$string_to_sign" >&2
fi

target="$scheme://$authority$path"
[[ -n $canonical_query ]] && target+="?$canonical_query"
args=(-sS -X "$method" --globoff)
for name in "${!headers[@]}"; do
  [[ $name == host ]] && continue # curl sends the same authority itself
  args+=(-H "$name: ${headers[$name]}")
done
args+=(-H "Authorization: SDK-HMAC-SHA256 Access=$HUAWEICLOUD_SDK_AK, SignedHeaders=$signed_headers, Signature=$signature")
[[ -n $body ]] && args+=(--data-binary "$body")
# shellcheck disable=SC2086 # SIGNED_CURL_OPTS is a list of options on purpose
exec curl "${args[@]}" ${SIGNED_CURL_OPTS-} "$target"
