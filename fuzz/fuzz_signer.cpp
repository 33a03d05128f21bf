// Fuzzes the signer's canonicalization and signing (signer.hpp, the signing spec signing.md).
// Input fields (see fields.hpp): method, path, query, headers, body, access key, secret key.
// The query is "k=v&k=v" with each key and value percent-decoded, so that any byte, '&' and
// '=' included, can reach canonical_query; the headers are "Name: value" lines.
//
// Properties checked, besides memory safety:
//  - percent_decode(percent_encode(x)) == x, and the encoding uses only A-Za-z0-9-._~ and
//    %XX with upper-case hex;
//  - canonical_uri is idempotent, ends in '/', and is made of encoded segments and '/';
//  - canonical_query does not depend on the order of the pairs and has one '&' between
//    consecutive pairs;
//  - sign() is deterministic, signs a sorted, lower-case header list without '_' names or
//    Authorization, and its Authorization has the documented shape;
//  - Signer::sign_request sends the X-Sdk-Date of its clock and exactly one Authorization.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "fields.hpp"
#include "signer.hpp"

namespace core = dcs::core;
using dcs_fuzz::split;

namespace {

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

// Only unreserved bytes, %XX with upper-case hex, and the bytes in `extra`.
bool is_strictly_encoded(std::string_view s, std::string_view extra = "") {
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '%') {
            if (i + 2 >= s.size()) {
                return false;
            }
            if (!is_upper_hex(s[i + 1]) || !is_upper_hex(s[i + 2])) {
                return false;
            }
            i += 2;
        } else if (!is_unreserved(c) &&
                   extra.find(static_cast<char>(c)) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

void check_percent_round_trip(const std::string& text) {
    const std::string encoded = core::percent_encode(text);
    FUZZ_CHECK(is_strictly_encoded(encoded));
    FUZZ_CHECK(core::percent_decode(encoded) == text);
}

void check_canonical_uri(const std::string& path) {
    const std::string canonical = core::canonical_uri(path);
    FUZZ_CHECK(!canonical.empty() && canonical.back() == '/');
    FUZZ_CHECK(is_strictly_encoded(canonical, "/"));
    FUZZ_CHECK(core::canonical_uri(canonical) == canonical);
    if (path.empty()) {
        FUZZ_CHECK(canonical == "/");
    }
}

core::QueryParams parse_query(const std::string& text) {
    core::QueryParams query;
    for (const std::string& pair : split(text, '&')) {
        const size_t eq = pair.find('=');
        const std::string key = pair.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
        query.emplace_back(core::percent_decode(key), core::percent_decode(value));
    }
    return query;
}

void check_canonical_query(const core::QueryParams& query) {
    const std::string canonical = core::canonical_query(query);
    core::QueryParams reversed(query.rbegin(), query.rend());
    FUZZ_CHECK(core::canonical_query(reversed) == canonical);
    FUZZ_CHECK(is_strictly_encoded(canonical, "=&"));
    FUZZ_CHECK(canonical.empty() == query.empty());
    if (!query.empty()) {
        FUZZ_CHECK(static_cast<size_t>(std::count(canonical.begin(), canonical.end(), '&')) ==
                   query.size() - 1);
    }
    for (const auto& [key, value] : query) {
        check_percent_round_trip(key);
        check_percent_round_trip(value);
    }
}

core::HeaderList parse_headers(const std::string& text) {
    core::HeaderList headers;
    for (const std::string& line : split(text, '\n')) {
        const size_t colon = line.find(':');
        if (colon == 0 || line.empty()) {
            continue;  // a header without a name does not exist
        }
        if (colon == std::string::npos) {
            headers.emplace_back(line, "");
        } else {
            headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
        }
    }
    return headers;
}

bool is_hex_digest(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string to_lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// signer.hpp: every header whose name has no '_' is signed, Authorization aside; the list
// is the lower-cased names, sorted and without duplicates, joined by ';'.
std::string expected_signed_headers(const core::HeaderList& headers) {
    std::vector<std::string> names;
    for (const auto& header : headers) {
        const std::string name = to_lower(header.first);
        if (name.find('_') == std::string::npos && name != "authorization") {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string joined;
    for (const std::string& name : names) {
        joined += (joined.empty() ? "" : ";") + name;
    }
    return joined;
}

void check_sign(const std::string& method, const std::string& path, const core::QueryParams& query,
                const core::HeaderList& headers, const std::string& body,
                const std::string& access_key, const std::string& secret_key) {
    const core::SignedParts parts =
        core::sign(method, path, query, headers, body, access_key, secret_key);
    const core::SignedParts again =
        core::sign(method, path, query, headers, body, access_key, secret_key);
    FUZZ_CHECK(parts.canonical_request == again.canonical_request);
    FUZZ_CHECK(parts.authorization == again.authorization);

    FUZZ_CHECK(parts.signed_headers == expected_signed_headers(headers));
    const std::string prefix = "SDK-HMAC-SHA256 Access=" + access_key +
                               ", SignedHeaders=" + parts.signed_headers + ", Signature=";
    FUZZ_CHECK(parts.authorization.compare(0, prefix.size(), prefix) == 0);
    FUZZ_CHECK(is_hex_digest(std::string_view(parts.authorization).substr(prefix.size())));
    FUZZ_CHECK(parts.string_to_sign.compare(0, 16, "SDK-HMAC-SHA256\n") == 0);

    // The canonical request starts with the upper-cased method, the canonical URI and query.
    std::string upper = method;  // ASCII only, as the signer does
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string head =
        upper + "\n" + core::canonical_uri(path) + "\n" + core::canonical_query(query) + "\n";
    FUZZ_CHECK(parts.canonical_request.compare(0, head.size(), head) == 0);
}

void check_sign_request(const std::string& method, const std::string& path,
                        const core::QueryParams& query, const core::HeaderList& headers,
                        const std::string& body, const std::string& access_key,
                        const std::string& secret_key) {
    const auto fixed = std::chrono::system_clock::time_point(std::chrono::seconds(1704164645));
    core::Signer signer(core::Credentials{access_key, secret_key, "fuzz-token"},
                        [fixed] { return fixed; });
    const core::SignedRequest request =
        signer.sign_request(method, "dcs.example.com", path, query, headers, body);

    int authorizations = 0;
    int dates = 0;
    for (const auto& [name, value] : request.headers) {
        const std::string lower = to_lower(name);
        if (lower == "authorization") {
            ++authorizations;
        } else if (lower == "x-sdk-date") {
            ++dates;
            FUZZ_CHECK(value == "20240102T030405Z");
        }
    }
    FUZZ_CHECK(authorizations == 1);
    FUZZ_CHECK(dates == 1);
    FUZZ_CHECK(request.path_and_query.compare(0, path.size(), path) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider input(data, size);
    const std::string method = input.ConsumeRandomLengthString(16);
    const std::string path = input.ConsumeRandomLengthString(512);
    const core::QueryParams query = parse_query(input.ConsumeRandomLengthString(512));
    const core::HeaderList headers = parse_headers(input.ConsumeRandomLengthString(1024));
    const std::string body = input.ConsumeRandomLengthString(1024);
    const std::string access_key = input.ConsumeRandomLengthString(64);
    const std::string secret_key = input.ConsumeRandomLengthString(64);

    check_percent_round_trip(path);
    check_percent_round_trip(body);
    check_canonical_uri(path);
    check_canonical_query(query);
    check_sign(method, path, query, headers, body, access_key, secret_key);
    check_sign_request(method, path, query, headers, body, access_key, secret_key);
    return 0;
}
