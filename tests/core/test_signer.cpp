// Known-answer and property tests of the SDK-HMAC-SHA256 signer and its crypto primitives.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crypto.hpp"
#include "signer.hpp"

using namespace dcs::core;

namespace {

constexpr const char* kVectorsPath = DCS_TEST_DATA_DIR "/signing-vectors.json";

const rapidjson::Document& vectors_document() {
    static const rapidjson::Document doc = [] {
        std::ifstream in(kVectorsPath, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        rapidjson::Document d;
        d.Parse(text.str().c_str());
        return d;
    }();
    REQUIRE_MESSAGE(doc.IsObject(), "cannot load ", kVectorsPath);
    return doc;
}

std::string str(const rapidjson::Value& v) {
    return std::string(v.GetString(), v.GetStringLength());
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string trimmed(std::string s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.back())) s.pop_back();
    while (!s.empty() && space(s.front())) s.erase(s.begin());
    return s;
}

// "20240102T030405Z" -> the UTC instant it names.
std::chrono::system_clock::time_point parse_sdk_date(const std::string& date) {
    std::tm tm{};
    REQUIRE(std::sscanf(date.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Clock fixed_clock(std::chrono::system_clock::time_point t) {
    return [t] { return t; };
}

QueryParams query_of(const rapidjson::Value& v) {
    QueryParams q;
    for (const auto& pair : v.GetArray()) q.emplace_back(str(pair[0]), str(pair[1]));
    return q;
}

HeaderList headers_of(const rapidjson::Value& v) {
    HeaderList h;
    for (const auto& m : v.GetObject()) h.emplace_back(str(m.name), str(m.value));
    return h;
}

std::string body_of(const rapidjson::Value& vector) {
    const auto& body = vector["body"];
    return body.IsNull() ? std::string() : str(body);
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [n, v] : headers) {
        if (iequals(n, name)) return &v;
    }
    return nullptr;
}

size_t count_header(const HeaderList& headers, std::string_view name) {
    return static_cast<size_t>(std::count_if(
        headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); }));
}

// A small DCS-shaped request for the property tests below.
struct Request {
    std::string method = "POST";
    std::string path = "/v2/pid/instances/iid/restores";
    QueryParams query = {{"limit", "10"}, {"offset", "0"}};
    HeaderList headers = {{"Content-Type", "application/json"},
                          {"X-Project-Id", "pid"},
                          {"X-Sdk-Date", "20240102T030405Z"},
                          {"Host", "dcs.cn-north-4.myhuaweicloud.com"}};
    std::string body = R"({"backup_id":"b1"})";
    std::string ak = "AK";
    std::string sk = "SK-secret";

    SignedParts signed_parts() const { return sign(method, path, query, headers, body, ak, sk); }
};

}  // namespace

TEST_CASE("sha256_hex gives lower-case hex of known inputs") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex(std::string("a\0b", 3)) != sha256_hex("a"));  // embedded NUL is hashed
}

TEST_CASE("hmac_sha256_hex matches RFC 4231 and handles an empty key") {
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hmac_sha256_hex("", "") ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("sign reproduces every known-answer vector") {
    const auto& vectors = vectors_document()["vectors"];
    REQUIRE(vectors.Size() >= 12);
    for (const auto& v : vectors.GetArray()) {
        CAPTURE(str(v["name"]));
        HeaderList headers = headers_of(v["headers"]);
        headers.emplace_back("Host", str(v["host"]));
        const SignedParts parts = sign(str(v["method"]), str(v["path"]), query_of(v["query"]),
                                       headers, body_of(v), str(v["ak"]), str(v["sk"]));
        const auto& expected = v["expected"];
        CHECK(parts.canonical_request == str(expected["canonical_request"]));
        CHECK(parts.string_to_sign == str(expected["string_to_sign"]));
        CHECK(parts.signed_headers == str(expected["signed_headers"]));
        CHECK(parts.authorization == str(expected["authorization"]));
    }
}

TEST_CASE("Signer::sign_request reproduces every vector's headers and URL") {
    const auto& vectors = vectors_document()["vectors"];
    REQUIRE(vectors.Size() >= 12);
    for (const auto& v : vectors.GetArray()) {
        CAPTURE(str(v["name"]));
        const HeaderList given = headers_of(v["headers"]);

        // The date comes from the clock and the token from the credentials, not the caller.
        Credentials creds{str(v["ak"]), str(v["sk"]), ""};
        HeaderList caller;
        for (const auto& [name, value] : given) {
            if (iequals(name, "X-Security-Token")) {
                creds.security_token = value;
            } else if (!iequals(name, "X-Sdk-Date")) {
                caller.emplace_back(name, value);
            }
        }
        const Signer signer(creds, fixed_clock(parse_sdk_date(*find_header(given, "X-Sdk-Date"))));
        const SignedRequest request =
            signer.sign_request(str(v["method"]), str(v["host"]), str(v["path"]),
                                query_of(v["query"]), caller, body_of(v));

        const auto& expected = v["expected"];
        CHECK(request.path_and_query == str(expected["url_path_and_query"]));

        HeaderList want;
        for (const auto& [name, value] : given) want.emplace_back(name, trimmed(value));
        want.emplace_back("Host", str(v["host"]));
        want.emplace_back("Authorization", str(expected["authorization"]));
        HeaderList got = request.headers;
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        CHECK(got == want);
    }
}

TEST_CASE("percent_encode keeps only A-Za-z0-9-._~ (full 0x00-0x7F table)") {
    std::string all_ascii;
    for (int c = 0; c <= 0x7F; ++c) all_ascii.push_back(static_cast<char>(c));
    CHECK(percent_encode(all_ascii) == str(vectors_document()["percent_encoding_0x00_0x7f"]));
}

TEST_CASE("percent_encode encodes UTF-8 and high bytes with upper-case hex") {
    CHECK(percent_encode("\xE7\x94\x9F") == "%E7%94%9F");
    CHECK(percent_encode("\xFF\x80") == "%FF%80");
    CHECK(percent_encode("") == "");
}

TEST_CASE("percent_decode decodes %XX, keeps '+' and malformed escapes") {
    CHECK(percent_decode("%41%2f%2F") == "A//");
    CHECK(percent_decode("%e4%b8%80") == "\xE4\xB8\x80");
    CHECK(percent_decode("a+b") == "a+b");
    CHECK(percent_decode("100%") == "100%");
    CHECK(percent_decode("%4") == "%4");
    CHECK(percent_decode("%zz%4g") == "%zz%4g");
    CHECK(percent_decode("%00") == std::string(1, '\0'));
}

TEST_CASE("canonical_query matches the official SDK case") {
    const auto& official = vectors_document()["canonical_query_official"];
    CHECK(canonical_query(query_of(official["params"])) == str(official["expected"]));
}

TEST_CASE("canonical_query sorts by raw key then raw value and keeps empty values") {
    CHECK(canonical_query({}) == "");
    CHECK(canonical_query({{"b", ""}, {"a", "2"}, {"a", "10"}}) == "a=10&a=2&b=");
    // Sorting uses the raw key: "a b" (0x20) sorts before "a+" (0x2B) although "%20" > "%2B".
    CHECK(canonical_query({{"a+", "1"}, {"a b", "2"}}) == "a%20b=2&a%2B=1");
}

TEST_CASE("canonical_uri always ends in '/' and re-encodes each segment") {
    CHECK(canonical_uri("") == "/");
    CHECK(canonical_uri("/") == "/");
    CHECK(canonical_uri("/v2/abc/instances") == "/v2/abc/instances/");
    CHECK(canonical_uri("/v2/abc/instances/") == "/v2/abc/instances/");
    CHECK(canonical_uri("/v2/abc/backups/backup%2001%3Aa/") == "/v2/abc/backups/backup%2001%3Aa/");
    CHECK(canonical_uri("/v1/x:y") == "/v1/x%3Ay/");
    CHECK(canonical_uri("/a b/c+d") == "/a%20b/c%2Bd/");
    CHECK(canonical_uri("/%7Euser") == "/~user/");
    CHECK(canonical_uri("/a%2Fb") == "/a/b/");  // decoded before splitting, as the Python SDK does
    CHECK(canonical_uri("/a%zz") == "/a%25zz/");
    CHECK(canonical_uri("/\xE7\x94\x9F") == "/%E7%94%9F/");
}

TEST_CASE("format_sdk_date renders UTC and drops sub-seconds") {
    using std::chrono::system_clock;
    CHECK(format_sdk_date(system_clock::from_time_t(0)) == "19700101T000000Z");
    const auto t = system_clock::from_time_t(1704164645);  // 2024-01-02T03:04:05Z
    CHECK(format_sdk_date(t) == "20240102T030405Z");
    CHECK(format_sdk_date(t + std::chrono::milliseconds(999)) == "20240102T030405Z");
}

TEST_CASE("every signed input changes the signature") {
    const Request base;
    const std::string reference = base.signed_parts().authorization;

    SUBCASE("body") {
        Request r = base;
        r.body = R"({"backup_id":"b2"})";
        CHECK(r.signed_parts().authorization != reference);
    }
    SUBCASE("signed header value") {
        Request r = base;
        r.headers[1].second = "other-project";
        CHECK(r.signed_parts().authorization != reference);
    }
    SUBCASE("query value") {
        Request r = base;
        r.query[0].second = "11";
        CHECK(r.signed_parts().authorization != reference);
    }
    SUBCASE("method") {
        Request r = base;
        r.method = "PUT";
        CHECK(r.signed_parts().authorization != reference);
    }
    SUBCASE("path") {
        Request r = base;
        r.path = "/v2/pid/instances/iid/backups";
        CHECK(r.signed_parts().authorization != reference);
    }
    SUBCASE("date") {
        Request r = base;
        r.headers[2].second = "20240102T030406Z";
        CHECK(r.signed_parts().authorization != reference);
    }
    SUBCASE("secret key") {
        Request r = base;
        r.sk = "SK-secreT";
        CHECK(r.signed_parts().authorization != reference);
    }
}

TEST_CASE("unsigned details leave the signature unchanged") {
    const Request base;
    const std::string reference = base.signed_parts().authorization;

    SUBCASE("header with '_' in its name is not signed") {
        Request r = base;
        r.headers.emplace_back("X_Trace_Id", "123");
        CHECK(r.signed_parts().authorization == reference);
    }
    SUBCASE("header values are trimmed, names compared case-insensitively") {
        Request r = base;
        r.headers[0] = {"content-TYPE", " \tapplication/json \r\n"};
        CHECK(r.signed_parts().authorization == reference);
    }
    SUBCASE("Authorization is never signed") {
        Request r = base;
        r.headers.emplace_back("Authorization", "stale");
        CHECK(r.signed_parts().authorization == reference);
    }
    SUBCASE("method case") {
        Request r = base;
        r.method = "post";
        CHECK(r.signed_parts().authorization == reference);
    }
    SUBCASE("query order") {
        Request r = base;
        std::reverse(r.query.begin(), r.query.end());
        CHECK(r.signed_parts().authorization == reference);
    }
}

TEST_CASE("X-Sdk-Content-Sha256 replaces the payload hash only for a non-empty body") {
    Request r;
    r.headers.emplace_back("x-sdk-content-SHA256", " UNSIGNED-PAYLOAD ");
    const SignedParts with_body = r.signed_parts();
    CHECK(with_body.canonical_request.size() > 17);
    CHECK(with_body.canonical_request.substr(with_body.canonical_request.size() - 17) ==
          "\nUNSIGNED-PAYLOAD");
    CHECK(with_body.signed_headers.find("x-sdk-content-sha256") != std::string::npos);

    r.body.clear();
    const std::string empty_hash = sha256_hex("");
    const std::string cr = r.signed_parts().canonical_request;
    CHECK(cr.substr(cr.size() - empty_hash.size()) == empty_hash);
}

TEST_CASE("sign_request replaces caller date, host, token and authorization") {
    const auto now = std::chrono::system_clock::from_time_t(1704164645);
    const Signer signer({"AK", "SK", "TOKEN"}, fixed_clock(now));
    const HeaderList caller = {{"x-sdk-date", "19990101T000000Z"},
                               {"HOST", "wrong.example"},
                               {"x-security-token", "OLD"},
                               {"authorization", "stale"},
                               {"X-Project-Id", "  pid\t"}};
    const SignedRequest r =
        signer.sign_request("GET", "dcs.example:8443", "/v2/pid/instances", {}, caller, "");

    CHECK(r.path_and_query == "/v2/pid/instances");  // no '?' without a query
    for (const char* name : {"X-Sdk-Date", "Host", "X-Security-Token", "Authorization"}) {
        CAPTURE(name);
        CHECK(count_header(r.headers, name) == 1);
    }
    CHECK(*find_header(r.headers, "X-Sdk-Date") == "20240102T030405Z");
    CHECK(*find_header(r.headers, "Host") == "dcs.example:8443");
    CHECK(*find_header(r.headers, "X-Security-Token") == "TOKEN");
    CHECK(*find_header(r.headers, "X-Project-Id") == "pid");
    CHECK(find_header(r.headers, "Authorization")
              ->find("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,") !=
          std::string::npos);
}

TEST_CASE("sign_request adds no security token for permanent credentials") {
    const Signer signer({"AK", "SK", ""}, fixed_clock(std::chrono::system_clock::from_time_t(0)));
    const SignedRequest r = signer.sign_request("GET", "h", "/", {}, {}, "");
    CHECK(find_header(r.headers, "X-Security-Token") == nullptr);
    CHECK(signer.access_key() == "AK");
}

TEST_CASE("the secret key appears in no output string") {
    const std::string sk = "S3cr3t-Key-0123456789-abcdefghijklmn";
    Request req;
    req.sk = sk;
    const SignedParts parts = req.signed_parts();
    for (const std::string* s : {&parts.canonical_request, &parts.string_to_sign,
                                 &parts.signed_headers, &parts.authorization}) {
        CHECK(s->find(sk) == std::string::npos);
    }

    const Signer signer({"AK", sk, "TOKEN"}, fixed_clock(std::chrono::system_clock::now()));
    const SignedRequest r =
        signer.sign_request("POST", "host", req.path, req.query, req.headers, req.body);
    CHECK(r.path_and_query.find(sk) == std::string::npos);
    for (const auto& [name, value] : r.headers) {
        CHECK(name.find(sk) == std::string::npos);
        CHECK(value.find(sk) == std::string::npos);
    }
}

TEST_CASE("format_sdk_date agrees with gmtime_r and strftime from 1900 to 2200") {
    const auto reference = [](std::time_t seconds) {
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char text[32];
        return std::string(text, std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc));
    };
    // Every 30011 s (a prime, so the time of day drifts) across leap years, century years
    // (1900 and 2100 are not leap years, 2000 is) and times before the epoch.
    const std::time_t first = -2208988800;  // 1900-01-01T00:00:00Z
    const std::time_t last = 7258118400;    // 2200-01-01T00:00:00Z
    size_t checked = 0;
    for (std::time_t t = first; t < last; t += 30011) {
        const std::string want = reference(t);
        if (format_sdk_date(std::chrono::system_clock::from_time_t(t)) != want) {
            FAIL("format_sdk_date(", t, ") != ", want);
        }
        ++checked;
    }
    CHECK(checked > 300000);
    CHECK(format_sdk_date(std::chrono::system_clock::from_time_t(951782400)) == "20000229T000000Z");
    CHECK(format_sdk_date(std::chrono::system_clock::from_time_t(-1)) == "19691231T235959Z");
    // The latest time the clock can show (2262 with libstdc++'s nanosecond clock).
    const auto latest = std::chrono::system_clock::time_point::max();
    CHECK(format_sdk_date(latest) == reference(std::chrono::system_clock::to_time_t(latest)));
}

TEST_CASE("HmacSha256Key and sha256_hex give the same digests however often and in any order") {
    // RFC 4231 test case 6: a key longer than SHA-256's block is hashed first.
    const HmacSha256Key long_key(std::string(131, '\xaa'));
    const std::string long_key_message = "Test Using Larger Than Block-Size Key - Hash Key First";
    const std::string long_key_mac =
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
    // FIPS 180-2's two-block message.
    const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    const std::string two_blocks_sha =
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        std::string out(kSha256HexLength, '\0');
        long_key.hmac_hex(long_key_message, out.data());
        CHECK(out == long_key_mac);
        sha256_hex(two_blocks, out.data());
        CHECK(out == two_blocks_sha);
        long_key.hmac_hex("", out.data());  // a call leaves no state for the next one
        CHECK(out == hmac_sha256_hex(std::string(131, '\xaa'), ""));
        long_key.hmac_hex(long_key_message, out.data());
        CHECK(out == long_key_mac);
    }
}

TEST_CASE("a prepared request signs exactly as sign_request does, every time") {
    const auto& vectors = vectors_document()["vectors"];
    for (const auto& v : vectors.GetArray()) {
        CAPTURE(str(v["name"]));
        const HeaderList given = headers_of(v["headers"]);
        Credentials creds{str(v["ak"]), str(v["sk"]), ""};
        HeaderList caller;
        for (const auto& [name, value] : given) {
            if (iequals(name, "X-Security-Token")) {
                creds.security_token = value;
            } else if (!iequals(name, "X-Sdk-Date")) {
                caller.emplace_back(name, value);
            }
        }
        const Signer signer(creds, fixed_clock(parse_sdk_date(*find_header(given, "X-Sdk-Date"))));
        const RequestTemplate prepared = signer.prepare(str(v["host"]), caller);
        const SignedRequest direct =
            signer.sign_request(str(v["method"]), str(v["host"]), str(v["path"]),
                                query_of(v["query"]), caller, body_of(v));
        // Twice: the second signature reuses the first one's digest contexts and buffers.
        for (int round = 0; round < 2; ++round) {
            CAPTURE(round);
            const SignedRequest r = signer.sign_request(prepared, str(v["method"]), str(v["path"]),
                                                        query_of(v["query"]), body_of(v));
            CHECK(r.path_and_query == direct.path_and_query);
            CHECK(r.headers == direct.headers);  // same headers, same order
            CHECK(*find_header(r.headers, "Authorization") == str(v["expected"]["authorization"]));
        }
    }
}

TEST_CASE("a prepared request takes each signature's date from the clock") {
    auto now = std::chrono::system_clock::from_time_t(1704164645);
    const Signer signer({"AK", "SK", "TOKEN"}, [&now] {
        now += std::chrono::seconds(1);
        return now;
    });
    const HeaderList fixed = {{"Content-Type", "application/json"}, {"X-Project-Id", "pid"}};
    const RequestTemplate prepared = signer.prepare("dcs.example", fixed);
    const std::string body = R"({"backup_id":"b1"})";
    std::string previous;
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        const SignedRequest r = signer.sign_request(prepared, "POST", "/v2/pid/x", {}, body);
        const std::string date = *find_header(r.headers, "X-Sdk-Date");
        CHECK(date == format_sdk_date(now));
        CHECK(date != previous);
        previous = date;
        // The pure function, given the headers that were sent, signs them identically.
        HeaderList sent = r.headers;
        sent.pop_back();  // Authorization
        CHECK(sign("POST", "/v2/pid/x", {}, sent, body, "AK", "SK").authorization ==
              *find_header(r.headers, "Authorization"));
    }
}

TEST_CASE("concurrent signatures through one Signer are each correct") {
    const auto now = std::chrono::system_clock::from_time_t(1704164645);
    const Signer signer({"AK", "SK-concurrent", ""}, fixed_clock(now));
    const RequestTemplate prepared =
        signer.prepare("dcs.example", {{"Content-Type", "application/json"}});
    constexpr int kThreads = 8;
    constexpr int kSignatures = 200;
    std::vector<std::vector<SignedRequest>> results(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kSignatures; ++i) {
                const std::string path =
                    "/v2/p/instances/" + std::to_string(t) + "/" + std::to_string(i);
                results[t].push_back(signer.sign_request(prepared, "POST", path,
                                                         {{"n", std::to_string(i)}},
                                                         "body-" + std::to_string(t)));
            }
        });
    }
    for (auto& thread : threads) thread.join();

    size_t wrong = 0;
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kSignatures; i += 7) {  // a sample; each is a full signature
            const std::string path =
                "/v2/p/instances/" + std::to_string(t) + "/" + std::to_string(i);
            const HeaderList headers = {{"Content-Type", "application/json"},
                                        {"X-Sdk-Date", format_sdk_date(now)},
                                        {"Host", "dcs.example"}};
            const std::string want = sign("POST", path, {{"n", std::to_string(i)}}, headers,
                                          "body-" + std::to_string(t), "AK", "SK-concurrent")
                                         .authorization;
            if (*find_header(results[t][i].headers, "Authorization") != want) ++wrong;
        }
    }
    CHECK(wrong == 0);
}
