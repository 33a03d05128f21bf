// Huawei Cloud "SDK-HMAC-SHA256" AK/SK request signing, byte for byte as the official Python
// SDK computes it (see the signing spec, signing.md). The free functions are the pure pieces;
// Signer adds the headers a request needs (date, host, security token) and the Authorization.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcs::core {

// Query parameters as (raw key, raw value) pairs; repeated keys are allowed.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
// Request headers as (name, value) pairs, in the form they are sent.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 strict encoding: keeps A-Za-z0-9-._~, every other byte becomes %XX (upper-case hex).
std::string percent_encode(std::string_view s);

// %XX (either hex case) becomes the byte; '+' stays '+'; a '%' not followed by two hex digits
// is kept literally.
std::string percent_decode(std::string_view s);

// The canonical form of a resource path: decoded, each '/'-separated segment re-encoded, and
// always ending in '/'. An empty path becomes "/".
std::string canonical_uri(std::string_view path);

// The canonical query string: pairs sorted by raw key then raw value (byte order), each emitted
// as encode(key) + "=" + encode(value), joined by '&'. No parameters give "".
std::string canonical_query(const QueryParams& query);

// The X-Sdk-Date form of a time, in UTC: 20240102T030405Z.
std::string format_sdk_date(std::chrono::system_clock::time_point t);

struct SignedParts {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signed_headers;
    std::string authorization;  // the Authorization header's value
};

// Pure signing. `headers` must already contain X-Sdk-Date and Host with the values that will be
// sent. Every header whose name has no '_' is signed (Authorization aside); values are trimmed
// of ASCII whitespace. A non-empty body is represented by the X-Sdk-Content-Sha256 header's
// value when that header is present, else by its SHA-256.
SignedParts sign(std::string_view method, std::string_view path, const QueryParams& query,
                 const HeaderList& headers, std::string_view body, std::string_view access_key,
                 std::string_view secret_key);

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct Credentials {
    std::string access_key;
    std::string secret_key;
    std::string security_token;  // empty unless the credentials are temporary
};

// Everything needed to put a signed request on the wire.
struct SignedRequest {
    std::string path_and_query;  // path, plus '?' + canonical query when there is a query
    HeaderList headers;          // trimmed headers to send, Authorization included
};

// Signs requests with one set of credentials. Never logs; the secret key only ever enters the
// HMAC computation.
class Signer {
   public:
    explicit Signer(Credentials creds, Clock clock = std::chrono::system_clock::now);

    // Adds X-Sdk-Date (from the clock, replacing any caller value so each retry is fresh),
    // Host, and X-Security-Token when the credentials carry one, to `headers` (values trimmed;
    // a caller header of the same name, in any case, is replaced), then signs. The query is
    // sent in its canonical form so that the service recomputes the identical string.
    SignedRequest sign_request(std::string_view method, std::string_view host,
                               std::string_view path, const QueryParams& query, HeaderList headers,
                               std::string_view body) const;

    const std::string& access_key() const;

   private:
    Credentials creds_;
    Clock clock_;
};

}  // namespace dcs::core
