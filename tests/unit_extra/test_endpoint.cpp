// parse_endpoint and resolve_endpoint: which base URL and Host a configuration talks to.
#include <doctest/doctest.h>

#include "config.hpp"
#include "scoped_env.hpp"

using dcs::core::ClientConfig;
using dcs::core::parse_endpoint;
using dcs::core::resolve_endpoint;
using dcs::core::Status;
using dcs::test::ScopedEnv;

TEST_CASE("parse_endpoint accepts scheme://host[:port] and keeps the Host exactly") {
    struct Case {
        const char* url;
        const char* base_url;
        const char* host;
    };
    const Case cases[] = {
        {"https://dcs.cn-north-4.myhuaweicloud.com", "https://dcs.cn-north-4.myhuaweicloud.com",
         "dcs.cn-north-4.myhuaweicloud.com"},
        {"https://dcs.cn-north-4.myhuaweicloud.com/", "https://dcs.cn-north-4.myhuaweicloud.com",
         "dcs.cn-north-4.myhuaweicloud.com"},
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1:8080"},
        {"http://localhost:1", "http://localhost:1", "localhost:1"},
        {"https://example.com:65535", "https://example.com:65535", "example.com:65535"},
        {"http://[::1]:8443", "http://[::1]:8443", "[::1]:8443"},
        {"http://[::1]", "http://[::1]", "[::1]"},
        {"https://my_host.internal", "https://my_host.internal", "my_host.internal"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.url);
        auto endpoint = parse_endpoint(c.url);
        REQUIRE(endpoint.ok());
        CHECK(endpoint.value().base_url == c.base_url);
        CHECK(endpoint.value().host == c.host);
    }
}

TEST_CASE("parse_endpoint rejects anything but scheme://host[:port]") {
    const char* bad[] = {
        "",
        "dcs.example.com",        // no scheme
        "ftp://dcs.example.com",  // wrong scheme
        "HTTPS//dcs.example.com",
        "https://",  // no host
        "https:///",
        "https://dcs.example.com/v2",  // a path
        "https://dcs.example.com//",
        "https://dcs.example.com?x=1",   // a query
        "https://dcs.example.com#frag",  // a fragment
        "https://user@dcs.example.com",  // user info
        "https://user:pw@dcs.example.com",
        "https://dcs.example.com:0",  // port out of range
        "https://dcs.example.com:65536",
        "https://dcs.example.com:123456",
        "https://dcs.example.com:",  // empty port
        "https://dcs.example.com:8a",
        "https://dcs.example.com:-1",
        "https://:8080",            // empty host
        "https://dcs example.com",  // whitespace
        "https://dcs.example.com\r\nX-Evil: 1",
        "https://dcs.example.com\t",
        "https://[::1",  // unterminated IPv6 literal
        "https://[::1]x",
        "https://[zz::1]:80",
        "https://[]",
        "https://dcs.exa%6Dple.com",  // percent-encoding in the host
    };
    for (const char* url : bad) {
        CAPTURE(url);
        auto endpoint = parse_endpoint(url);
        REQUIRE_FALSE(endpoint.ok());
        CHECK(endpoint.error().status == Status::InvalidArgument);
        CHECK(endpoint.error().message.find("endpoint") != std::string::npos);
        CHECK(endpoint.error().message.find('\n') == std::string::npos);
    }
}

TEST_CASE("resolve_endpoint builds https://dcs.{region}.myhuaweicloud.com") {
    ScopedEnv no_override("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", nullptr);
    ClientConfig config;
    config.region = "cn-north-4";
    auto endpoint = resolve_endpoint(config);
    REQUIRE(endpoint.ok());
    CHECK(endpoint.value().base_url == "https://dcs.cn-north-4.myhuaweicloud.com");
    CHECK(endpoint.value().host == "dcs.cn-north-4.myhuaweicloud.com");

    config.region = "ap-southeast-1";
    endpoint = resolve_endpoint(config);
    REQUIRE(endpoint.ok());
    CHECK(endpoint.value().base_url == "https://dcs.ap-southeast-1.myhuaweicloud.com");
}

TEST_CASE("an explicit endpoint wins over the region and over the region's override") {
    ScopedEnv override_var("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", "https://override.example.com");
    ClientConfig config;
    config.region = "cn-north-4";
    config.endpoint = "http://127.0.0.1:9999";
    auto endpoint = resolve_endpoint(config);
    REQUIRE(endpoint.ok());
    CHECK(endpoint.value().base_url == "http://127.0.0.1:9999");
    CHECK(endpoint.value().host == "127.0.0.1:9999");
}

TEST_CASE("HUAWEICLOUD_SDK_REGION_DCS_<REGION> overrides the region's endpoint") {
    ClientConfig config;
    config.region = "cn-north-4";

    SUBCASE("a full URL") {
        ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", "https://dcs.internal.example:8443");
        auto endpoint = resolve_endpoint(config);
        REQUIRE(endpoint.ok());
        CHECK(endpoint.value().base_url == "https://dcs.internal.example:8443");
        CHECK(endpoint.value().host == "dcs.internal.example:8443");
    }
    SUBCASE("a comma-separated list: the first wins, blanks trimmed") {
        ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4",
                    "  https://first.example.com , https://second.example.com");
        auto endpoint = resolve_endpoint(config);
        REQUIRE(endpoint.ok());
        CHECK(endpoint.value().base_url == "https://first.example.com");
    }
    SUBCASE("a bare host name gets https://") {
        ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", "dcs.private.example");
        auto endpoint = resolve_endpoint(config);
        REQUIRE(endpoint.ok());
        CHECK(endpoint.value().base_url == "https://dcs.private.example");
    }
    SUBCASE("a malformed override is an error, not a silent fallback") {
        ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", "https://dcs.example.com/path");
        auto endpoint = resolve_endpoint(config);
        REQUIRE_FALSE(endpoint.ok());
        CHECK(endpoint.error().status == Status::InvalidArgument);
    }
    SUBCASE("an empty override is ignored") {
        ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", "");
        auto endpoint = resolve_endpoint(config);
        REQUIRE(endpoint.ok());
        CHECK(endpoint.value().base_url == "https://dcs.cn-north-4.myhuaweicloud.com");
    }
    SUBCASE("another region's override does not apply") {
        ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_SOUTH_1", "https://south.example.com");
        ScopedEnv none("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", nullptr);
        auto endpoint = resolve_endpoint(config);
        REQUIRE(endpoint.ok());
        CHECK(endpoint.value().base_url == "https://dcs.cn-north-4.myhuaweicloud.com");
    }
}

TEST_CASE("resolve_endpoint rejects a missing or malformed region") {
    const char* bad_regions[] = {"",
                                 "CN-NORTH-4",
                                 "cn_north_4",
                                 "cn-north-4.evil.com",
                                 "cn-north-4/",
                                 "cn north",
                                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (const char* region : bad_regions) {
        CAPTURE(region);
        ClientConfig config;
        config.region = region;
        auto endpoint = resolve_endpoint(config);
        REQUIRE_FALSE(endpoint.ok());
        CHECK(endpoint.error().status == Status::InvalidArgument);
    }
}
