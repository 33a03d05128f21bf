// The network settings' pure parts: the endpoint list of HUAWEICLOUD_SDK_REGION_DCS_*, the
// region list and its suggestion, proxy resolution from the environment, and redaction.
#include <doctest/doctest.h>

#include "config.hpp"
#include "proxy.hpp"
#include "regions.hpp"
#include "scoped_env.hpp"

using dcs::core::ClientConfig;
using dcs::core::Status;
using dcs::test::ScopedEnv;

TEST_CASE("every endpoint of HUAWEICLOUD_SDK_REGION_DCS_<REGION> is kept, in order") {
    ScopedEnv v("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4",
                " https://a.example.com , ,b.example.com:8443,http://127.0.0.1:9,");
    ClientConfig config;
    config.region = "cn-north-4";
    auto endpoints = dcs::core::resolve_endpoints(config);
    REQUIRE(endpoints.ok());
    REQUIRE(endpoints.value().size() == 3);
    CHECK(endpoints.value()[0].base_url == "https://a.example.com");
    CHECK(endpoints.value()[1].base_url == "https://b.example.com:8443");
    CHECK(endpoints.value()[1].host == "b.example.com:8443");
    CHECK(endpoints.value()[2].base_url == "http://127.0.0.1:9");

    SUBCASE("a malformed item fails, naming the variable") {
        ScopedEnv bad("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4", "https://a.example.com,ftp://b");
        auto result = dcs::core::resolve_endpoints(config);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().status == Status::InvalidArgument);
        CHECK(result.error().message.find("HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4") !=
              std::string::npos);
    }
}

TEST_CASE("a region outside the DCS list fails with the closest known one") {
    ScopedEnv none("HUAWEICLOUD_SDK_REGION_DCS_AP_SOUTHEAST_9", nullptr);
    CHECK(dcs::core::is_known_region("cn-north-4"));
    CHECK(dcs::core::is_known_region("eu-west-101"));
    CHECK_FALSE(dcs::core::is_known_region("cn-north-44"));
    CHECK(dcs::core::closest_known_region("cn-nort-4") == "cn-north-4");
    CHECK(dcs::core::closest_known_region("ap-southeast-9") == "ap-southeast-1");
    CHECK(dcs::core::closest_known_region("eu-west-1") == "eu-west-0");

    ClientConfig config;
    config.region = "ap-southeast-9";
    auto result = dcs::core::resolve_endpoints(config);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().status == Status::InvalidArgument);
    CHECK(result.error().message.find("\"ap-southeast-9\"") != std::string::npos);
    CHECK(result.error().message.find("did you mean ap-southeast-1?") != std::string::npos);
}

TEST_CASE("proxies come from the environment, lower case first, unless set explicitly") {
    ScopedEnv a("http_proxy", nullptr), b("HTTP_PROXY", "http://upper:3128"),
        c("https_proxy", "http://lower-s:3128"), d("HTTPS_PROXY", "http://upper-s:3128"),
        e("all_proxy", nullptr), f("ALL_PROXY", nullptr), g("no_proxy", ".internal"),
        h("NO_PROXY", "*"), i("REQUEST_METHOD", nullptr);
    auto plan = dcs::core::resolve_proxy(std::nullopt);
    REQUIRE(plan.ok());
    CHECK(plan.value().http.url == "http://upper:3128");
    CHECK(plan.value().http.source == "HTTP_PROXY");
    CHECK(plan.value().https.url == "http://lower-s:3128");
    CHECK(plan.value().https.no_proxy == ".internal");

    SUBCASE("under CGI the upper-case HTTP_PROXY is not read") {
        ScopedEnv cgi("REQUEST_METHOD", "POST");
        auto cgi_plan = dcs::core::resolve_proxy(std::nullopt);
        REQUIRE(cgi_plan.ok());
        CHECK(cgi_plan.value().http.url.empty());
    }
    SUBCASE("an explicit proxy is used everywhere, NO_PROXY ignored; \"\" turns it off") {
        auto explicit_plan = dcs::core::resolve_proxy(std::string("http://p:1"));
        REQUIRE(explicit_plan.ok());
        CHECK(explicit_plan.value().http.url == "http://p:1");
        CHECK(explicit_plan.value().https.url == "http://p:1");
        CHECK(explicit_plan.value().https.no_proxy.empty());
        auto off = dcs::core::resolve_proxy(std::string());
        REQUIRE(off.ok());
        CHECK(off.value().http.url.empty());
        CHECK(off.value().https.url.empty());
    }
    SUBCASE("an unusable value is refused, naming the variable and not its value") {
        ScopedEnv bad("https_proxy", "http://user:se\ncret@p:1");
        auto refused = dcs::core::resolve_proxy(std::nullopt);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.find("https_proxy") != std::string::npos);
        CHECK(refused.error().message.find("cret") == std::string::npos);
    }
}

TEST_CASE("redact_proxy_url hides user info") {
    using dcs::core::redact_proxy_url;
    CHECK(redact_proxy_url("http://alice:pw@proxy:3128") == "http://***@proxy:3128");
    CHECK(redact_proxy_url("http://a@b:pw@proxy:3128/") == "http://***@proxy:3128/");
    CHECK(redact_proxy_url("alice:pw@proxy:3128") == "***@proxy:3128");
    CHECK(redact_proxy_url("http://proxy:3128") == "http://proxy:3128");
}
