#include "signer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "text.hpp"

namespace dcs::core {
namespace {

constexpr std::string_view kAlgorithm = "SDK-HMAC-SHA256";
constexpr std::string_view kEmptyBodySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kDateHeader = "X-Sdk-Date";
constexpr std::string_view kDateName = "x-sdk-date";  // its canonical (lower-case) name
constexpr size_t kSdkDateLength = 16;                 // 20240102T030405Z
// Idle workspaces a signer keeps: more concurrent signatures still work, their extra
// workspaces are freed afterwards (the transport keeps as many connections).
constexpr size_t kMaxIdleWorkspaces = 64;

constexpr std::array<bool, 256> kUnreserved = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
        table[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '.' || c == '_' || c == '~';
    }
    return table;
}();

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

// Appends `s` percent-encoded, copying runs of unreserved bytes whole. With `keep_slash`, '/'
// is kept too: the same as encoding each '/'-separated segment and joining them with '/'.
void append_encoded(std::string& out, std::string_view s, bool keep_slash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (kUnreserved[c] || (keep_slash && c == '/')) continue;
        out.append(s.data() + run, i - run);
        const char escape[3] = {'%', kHex[c >> 4], kHex[c & 0x0F]};
        out.append(escape, sizeof escape);
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
}

void append_canonical_uri(std::string& out, std::string_view path) {
    const size_t start = out.size();
    if (path.find('%') == std::string_view::npos) {
        append_encoded(out, path, true);  // nothing to decode: the usual case, no copy
    } else {
        append_encoded(out, percent_decode(path), true);
    }
    // The canonical path always ends in '/', even though the request line does not.
    if (out.size() == start || out.back() != '/') out.push_back('/');
}

void append_canonical_query(std::string& out, const QueryParams& query) {
    if (query.empty()) return;
    // std::string compares as unsigned bytes, which for UTF-8 is code-point order, the order
    // the Python SDK sorts its (key, value) tuples in. Sorting pointers copies no string.
    std::vector<const QueryParams::value_type*> sorted;
    sorted.reserve(query.size());
    for (const auto& pair : query) sorted.push_back(&pair);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
    for (const auto* pair : sorted) {
        if (pair != sorted.front()) out.push_back('&');
        append_encoded(out, pair->first, false);
        out.push_back('=');  // kept even for an empty value: "key="
        append_encoded(out, pair->second, false);
    }
}

// Two decimal digits of 0..99.
void put2(char* out, int64_t value) {
    out[0] = static_cast<char>('0' + value / 10);
    out[1] = static_cast<char>('0' + value % 10);
}

// Writes the kSdkDateLength characters of `t`'s X-Sdk-Date to `out`. By arithmetic rather than
// with gmtime_r and strftime: glibc's gmtime_r takes a process-wide lock, and this runs on
// every request of every thread.
void write_sdk_date(std::chrono::system_clock::time_point t, char* out) {
    // 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, the years four digits can show.
    constexpr int64_t kFirst = -62167219200;
    constexpr int64_t kLast = 253402300799;
    const UtcTime utc = utc_time(std::clamp<int64_t>(
        std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count(), kFirst, kLast));
    put2(out, utc.year / 100);
    put2(out + 2, utc.year % 100);
    put2(out + 4, utc.month);
    put2(out + 6, utc.day);
    out[8] = 'T';
    put2(out + 9, utc.hour);
    put2(out + 11, utc.minute);
    put2(out + 13, utc.second);
    out[15] = 'Z';
}

// The signed headers among `headers` in canonical form: lower-cased names, trimmed values,
// sorted by name. As in the Python SDK the last of several headers differing only in case
// wins; callers should not send such duplicates. The values point into `headers`.
struct CanonicalHeader {
    std::string name;
    std::string_view value;
};

std::vector<CanonicalHeader> canonical_headers(const HeaderList& headers) {
    std::vector<CanonicalHeader> out;
    out.reserve(headers.size());
    for (const auto& [name, value] : headers) {
        std::string lower = to_lower(name);
        if (is_signed_header(lower)) out.push_back({std::move(lower), trim(value)});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.name < b.name; });
    // Of equal names keep the last, which stable_sort left last.
    std::vector<CanonicalHeader> unique;
    unique.reserve(out.size());
    for (size_t i = 0; i < out.size(); ++i) {
        if (i + 1 < out.size() && out[i + 1].name == out[i].name) continue;
        unique.push_back(std::move(out[i]));
    }
    return unique;
}

// Fills the canonical parts of `prepared` from `headers`. Returns the x-sdk-date header's
// value, or nullopt when there is none (then no date line is signed).
std::optional<std::string_view> render_headers(const HeaderList& headers,
                                               std::string_view access_key,
                                               RequestTemplate& prepared) {
    std::optional<std::string_view> date;
    for (const auto& [name, value] : canonical_headers(headers)) {
        if (name == kDateName) {
            date = value;
        } else {
            std::string& lines =
                date ? prepared.canonical_after_date : prepared.canonical_before_date;
            lines.append(name).append(1, ':').append(value).append(1, '\n');
        }
        if (name == "x-sdk-content-sha256") {
            prepared.has_content_sha256 = true;
            prepared.content_sha256 = std::string(value);
        }
        if (!prepared.signed_headers.empty()) prepared.signed_headers.push_back(';');
        prepared.signed_headers += name;
    }
    prepared.authorization_prefix = std::string(kAlgorithm) + " Access=" + std::string(access_key) +
                                    ", SignedHeaders=" + prepared.signed_headers + ", Signature=";
    return date;
}

// The buffers of one signature, reused by the next one on the same workspace.
struct Buffers {
    std::string canonical_request;
    std::string string_to_sign;
};

// Renders the canonical request and the string to sign into `buffers` and writes the
// signature's hex digits to `signature`. The canonical query is written at
// [query_begin, query_end) of the canonical request, for the caller to send as it is.
void compute_signature(const HmacSha256Key& key, Buffers& buffers, const RequestTemplate& prepared,
                       std::string_view method, std::string_view path, const QueryParams& query,
                       std::optional<std::string_view> date, std::string_view body,
                       size_t& query_begin, size_t& query_end, char* signature) {
    std::string& cr = buffers.canonical_request;
    cr.clear();
    for (char c : method) cr.push_back(ascii_upper(c));
    cr.push_back('\n');
    append_canonical_uri(cr, path);
    cr.push_back('\n');
    query_begin = cr.size();
    append_canonical_query(cr, query);
    query_end = cr.size();
    cr.push_back('\n');
    cr += prepared.canonical_before_date;
    if (date) {
        cr.append(kDateName).append(1, ':').append(*date).append(1, '\n');
    }
    cr += prepared.canonical_after_date;
    cr.push_back('\n');
    cr += prepared.signed_headers;
    cr.push_back('\n');
    if (body.empty()) {
        cr += kEmptyBodySha256;
    } else if (prepared.has_content_sha256) {
        cr += prepared.content_sha256;  // e.g. UNSIGNED-PAYLOAD
    } else {
        const size_t at = cr.size();
        cr.resize(at + kSha256HexLength);
        sha256_hex(body, &cr[at]);
    }

    std::string& sts = buffers.string_to_sign;
    sts.clear();
    sts.append(kAlgorithm)
        .append(1, '\n')
        .append(date.value_or(std::string_view()))
        .append(1, '\n');
    const size_t at = sts.size();
    sts.resize(at + kSha256HexLength);
    sha256_hex(cr, &sts[at]);

    key.hmac_hex(sts, signature);
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
    std::string out;
    out.reserve(s.size() * 3);
    append_encoded(out, s, false);
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
    std::string out;
    out.reserve(path.size() * 3 + 1);
    append_canonical_uri(out, path);
    return out;
}

std::string canonical_query(const QueryParams& query) {
    std::string out;
    append_canonical_query(out, query);
    return out;
}

std::string format_sdk_date(std::chrono::system_clock::time_point t) {
    std::string out(kSdkDateLength, '0');
    write_sdk_date(t, out.data());
    return out;
}

SignedParts sign(std::string_view method, std::string_view path, const QueryParams& query,
                 const HeaderList& headers, std::string_view body, std::string_view access_key,
                 std::string_view secret_key) {
    RequestTemplate prepared;
    const std::optional<std::string_view> date = render_headers(headers, access_key, prepared);

    const HmacSha256Key key(secret_key);
    Buffers buffers;
    size_t query_begin = 0;
    size_t query_end = 0;
    char signature[kSha256HexLength];
    compute_signature(key, buffers, prepared, method, path, query, date, body, query_begin,
                      query_end, signature);

    SignedParts parts;
    parts.canonical_request = std::move(buffers.canonical_request);
    parts.string_to_sign = std::move(buffers.string_to_sign);
    parts.authorization = prepared.authorization_prefix;
    parts.authorization.append(signature, kSha256HexLength);
    parts.signed_headers = std::move(prepared.signed_headers);
    return parts;
}

// One signature's buffers.
struct Signer::Workspace {
    Buffers buffers;
};

Signer::Signer(Credentials creds, Clock clock)
    : creds_(std::move(creds)),
      clock_(std::move(clock)),
      key_(std::make_unique<HmacSha256Key>(creds_.secret_key)) {}

Signer::~Signer() = default;

std::unique_ptr<Signer::Workspace> Signer::borrow() const {
    {
        std::lock_guard<std::mutex> lock(pool_mu_);
        if (!idle_.empty()) {
            auto workspace = std::move(idle_.back());
            idle_.pop_back();
            return workspace;
        }
    }
    return std::make_unique<Workspace>();
}

void Signer::give_back(std::unique_ptr<Workspace> workspace) const {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_.size() < kMaxIdleWorkspaces) idle_.push_back(std::move(workspace));
}

RequestTemplate Signer::prepare(std::string_view host, HeaderList headers) const {
    // Values are trimmed for sending too, so that the wire matches what was signed.
    for (auto& header : headers) header.second = std::string(trim(header.second));

    set_header(headers, kDateHeader, std::string());  // each request fills in its own date
    set_header(headers, "Host", std::string(trim(host)));
    if (!creds_.security_token.empty()) {
        set_header(headers, "X-Security-Token", std::string(trim(creds_.security_token)));
    }
    // The signature's own header replaces any the caller gave; it is appended per request.
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [](const auto& h) { return iequals(h.first, "Authorization"); }),
                  headers.end());

    RequestTemplate prepared;
    render_headers(headers, creds_.access_key, prepared);
    prepared.date_index =
        static_cast<size_t>(std::find_if(headers.begin(), headers.end(),
                                         [](const auto& h) { return h.first == kDateHeader; }) -
                            headers.begin());
    prepared.wire_headers = std::move(headers);
    return prepared;
}

SignedRequest Signer::sign_request(std::string_view method, std::string_view host,
                                   std::string_view path, const QueryParams& query,
                                   HeaderList headers, std::string_view body) const {
    return sign_request(prepare(host, std::move(headers)), method, path, query, body);
}

SignedRequest Signer::sign_request(const RequestTemplate& prepared, std::string_view method,
                                   std::string_view path, const QueryParams& query,
                                   std::string_view body) const {
    char date[kSdkDateLength];
    write_sdk_date(clock_(), date);
    const std::string_view date_text(date, kSdkDateLength);

    std::unique_ptr<Workspace> workspace = borrow();
    size_t query_begin = 0;
    size_t query_end = 0;
    char signature[kSha256HexLength];
    compute_signature(*key_, workspace->buffers, prepared, method, path, query, date_text, body,
                      query_begin, query_end, signature);

    SignedRequest request;
    const std::string& cr = workspace->buffers.canonical_request;
    const size_t query_length = query_end - query_begin;
    request.path_and_query.reserve(path.size() + 1 + query_length);
    request.path_and_query = path;
    if (query_length > 0) {
        request.path_and_query.push_back('?');
        request.path_and_query.append(cr, query_begin, query_length);
    }
    give_back(std::move(workspace));

    request.headers.reserve(prepared.wire_headers.size() + 1);
    request.headers = prepared.wire_headers;
    request.headers[prepared.date_index].second.assign(date_text);
    std::string authorization;
    authorization.reserve(prepared.authorization_prefix.size() + kSha256HexLength);
    authorization += prepared.authorization_prefix;
    authorization.append(signature, kSha256HexLength);
    request.headers.emplace_back("Authorization", std::move(authorization));
    return request;
}

const std::string& Signer::access_key() const { return creds_.access_key; }

}  // namespace dcs::core
