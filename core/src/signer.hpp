// Huawei Cloud "SDK-HMAC-SHA256" AK/SK request signing, byte for byte as the official Python
// SDK computes it (see the signing spec, signing.md). The free functions are the pure pieces;
// Signer adds the headers a request needs (date, host, security token) and the Authorization.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto.hpp"

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

// What all requests to one host with the same fixed headers share, rendered once by
// Signer::prepare: the headers to send (the date's value left to each request), their
// canonical lines around the date's, the SignedHeaders list and the Authorization prefix.
// A client's requests differ only in method, path, query, body and date.
struct RequestTemplate {
    HeaderList wire_headers;            // in sending order; X-Sdk-Date's value is empty here
    size_t date_index = 0;              // X-Sdk-Date's position in wire_headers
    std::string canonical_before_date;  // "name:value\n" of the signed headers before x-sdk-date
    std::string canonical_after_date;   // ... and after it
    std::string signed_headers;
    bool has_content_sha256 = false;   // an X-Sdk-Content-Sha256 header is sent
    std::string content_sha256;        // its value, which stands for a non-empty body
    std::string authorization_prefix;  // "SDK-HMAC-SHA256 Access=..., Signature="
};

// Signs requests with one set of credentials. Never logs; the secret key only ever enters the
// HMAC computation. Thread-safe: concurrent calls each borrow their own buffers.
class Signer {
   public:
    explicit Signer(Credentials creds, Clock clock = std::chrono::system_clock::now);
    ~Signer();
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    // Adds X-Sdk-Date (from the clock, replacing any caller value so each retry is fresh),
    // Host, and X-Security-Token when the credentials carry one, to `headers` (values trimmed;
    // a caller header of the same name, in any case, is replaced), then signs. The query is
    // sent in its canonical form so that the service recomputes the identical string.
    SignedRequest sign_request(std::string_view method, std::string_view host,
                               std::string_view path, const QueryParams& query, HeaderList headers,
                               std::string_view body) const;

    // The part of sign_request that depends only on the host and the caller's headers.
    [[nodiscard]] RequestTemplate prepare(std::string_view host, HeaderList headers) const;

    // sign_request(method, host, path, query, headers, body) for the host and headers
    // `prepared` was made from: the same result, without redoing the prepared part.
    SignedRequest sign_request(const RequestTemplate& prepared, std::string_view method,
                               std::string_view path, const QueryParams& query,
                               std::string_view body) const;

    const std::string& access_key() const;

   private:
    struct Workspace;
    std::unique_ptr<Workspace> borrow() const;
    void give_back(std::unique_ptr<Workspace> workspace) const;

    Credentials creds_;
    Clock clock_;
    std::unique_ptr<HmacSha256Key> key_;
    // Idle workspaces (the canonical-request and string-to-sign buffers), one per thread that
    // signed at the same time, so a signature allocates nothing once the pool is warm.
    mutable std::mutex pool_mu_;
    mutable std::vector<std::unique_ptr<Workspace>> idle_;
};

}  // namespace dcs::core
