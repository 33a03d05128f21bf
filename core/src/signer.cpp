#include "signer.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include "crypto.hpp"
#include "text.hpp"

namespace dcs::core {
namespace {

constexpr std::string_view kAlgorithm = "SDK-HMAC-SHA256";
constexpr std::string_view kEmptyBodySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

// The Python SDK signs every header it holds except names containing '_' (proxies commonly drop
// such headers). Authorization carries the signature, so it can never be part of it.
bool is_signed_header(std::string_view lower_name) {
    return lower_name.find('_') == std::string_view::npos && lower_name != "authorization";
}

// Replaces every header named `name` (any case) by one `name: value`, appended at the end.
void set_header(HeaderList& headers, std::string_view name, std::string value) {
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const auto& h) { return iequals(h.first, name); }),
                  headers.end());
    headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
        }
    }
    return out;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
            hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string canonical_uri(std::string_view path) {
    const std::string decoded = percent_decode(path);
    std::string out;
    out.reserve(decoded.size() * 3 + 1);
    size_t start = 0;
    while (true) {
        const size_t slash = decoded.find('/', start);
        const std::string_view segment = std::string_view(decoded).substr(
            start, slash == std::string::npos ? std::string::npos : slash - start);
        out += percent_encode(segment);
        if (slash == std::string::npos) break;
        out.push_back('/');
        start = slash + 1;
    }
    // The canonical path always ends in '/', even though the request line does not.
    if (out.empty() || out.back() != '/') out.push_back('/');
    return out;
}

std::string canonical_query(const QueryParams& query) {
    // std::string compares as unsigned bytes, which for UTF-8 is code-point order, the order
    // the Python SDK sorts its (key, value) tuples in.
    QueryParams sorted = query;
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const auto& [key, value] : sorted) {
        if (!out.empty()) out.push_back('&');
        out += percent_encode(key);
        out.push_back('=');  // kept even for an empty value: "key="
        out += percent_encode(value);
    }
    return out;
}

std::string format_sdk_date(std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    const size_t length = std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &utc);
    return std::string(buffer, length);
}

SignedParts sign(std::string_view method, std::string_view path, const QueryParams& query,
                 const HeaderList& headers, std::string_view body, std::string_view access_key,
                 std::string_view secret_key) {
    // Lower-cased name -> trimmed value, sorted by name. As in the Python SDK the last of
    // several headers differing only in case wins; callers should not send such duplicates.
    std::map<std::string, std::string> to_sign;
    for (const auto& [name, value] : headers) {
        std::string lower = to_lower(name);
        if (is_signed_header(lower)) to_sign[std::move(lower)] = std::string(trim(value));
    }

    std::string canonical_headers;
    std::string signed_headers;
    for (const auto& [name, value] : to_sign) {
        canonical_headers += name + ":" + value + "\n";
        if (!signed_headers.empty()) signed_headers.push_back(';');
        signed_headers += name;
    }

    std::string payload_hash;
    if (body.empty()) {
        payload_hash = kEmptyBodySha256;
    } else if (auto it = to_sign.find("x-sdk-content-sha256"); it != to_sign.end()) {
        payload_hash = it->second;  // e.g. UNSIGNED-PAYLOAD
    } else {
        payload_hash = sha256_hex(body);
    }

    std::string upper_method(method);
    std::transform(upper_method.begin(), upper_method.end(), upper_method.begin(), ascii_upper);

    SignedParts parts;
    parts.canonical_request = upper_method + "\n" + canonical_uri(path) + "\n" +
                              canonical_query(query) + "\n" + canonical_headers + "\n" +
                              signed_headers + "\n" + payload_hash;

    const auto date = to_sign.find("x-sdk-date");
    parts.string_to_sign = std::string(kAlgorithm) + "\n" +
                           (date != to_sign.end() ? date->second : std::string()) + "\n" +
                           sha256_hex(parts.canonical_request);

    const std::string signature = hmac_sha256_hex(secret_key, parts.string_to_sign);
    parts.authorization = std::string(kAlgorithm) + " Access=" + std::string(access_key) +
                          ", SignedHeaders=" + signed_headers + ", Signature=" + signature;
    parts.signed_headers = std::move(signed_headers);
    return parts;
}

Signer::Signer(Credentials creds, Clock clock)
    : creds_(std::move(creds)), clock_(std::move(clock)) {}

SignedRequest Signer::sign_request(std::string_view method, std::string_view host,
                                   std::string_view path, const QueryParams& query,
                                   HeaderList headers, std::string_view body) const {
    // Values are trimmed for sending too, so that the wire matches what was signed.
    for (auto& header : headers) header.second = std::string(trim(header.second));

    set_header(headers, "X-Sdk-Date", format_sdk_date(clock_()));
    set_header(headers, "Host", std::string(trim(host)));
    if (!creds_.security_token.empty()) {
        set_header(headers, "X-Security-Token", std::string(trim(creds_.security_token)));
    }

    const SignedParts parts =
        sign(method, path, query, headers, body, creds_.access_key, creds_.secret_key);
    set_header(headers, "Authorization", parts.authorization);

    SignedRequest request;
    request.path_and_query = std::string(path);
    const std::string query_string = canonical_query(query);
    if (!query_string.empty()) request.path_and_query += "?" + query_string;
    request.headers = std::move(headers);
    return request;
}

const std::string& Signer::access_key() const { return creds_.access_key; }

}  // namespace dcs::core
