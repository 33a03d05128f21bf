// load_env: the official SDKs' environment variables fill what the caller left unset.
#include <doctest/doctest.h>

#include "config.hpp"
#include "scoped_env.hpp"

using dcs::core::ClientConfig;
using dcs::core::load_env;
using dcs::test::ScopedEnv;

namespace {

// Every variable load_env reads, set to known values for one test.
struct FullEnvironment {
    ScopedEnv ak{"HUAWEICLOUD_SDK_AK", "ENVACCESSKEY"};
    ScopedEnv sk{"HUAWEICLOUD_SDK_SK", "env-secret"};
    ScopedEnv token{"HUAWEICLOUD_SDK_SECURITY_TOKEN", "env-token"};
    ScopedEnv project{"HUAWEICLOUD_SDK_PROJECT_ID", "envproject0000000000000000000000"};
    ScopedEnv endpoint{"DCS_ENDPOINT", "http://127.0.0.1:4000"};
    ScopedEnv region{"DCS_REGION", "cn-north-4"};
};

// None of them set.
struct EmptyEnvironment {
    ScopedEnv ak{"HUAWEICLOUD_SDK_AK", nullptr};
    ScopedEnv sk{"HUAWEICLOUD_SDK_SK", nullptr};
    ScopedEnv token{"HUAWEICLOUD_SDK_SECURITY_TOKEN", nullptr};
    ScopedEnv project{"HUAWEICLOUD_SDK_PROJECT_ID", nullptr};
    ScopedEnv endpoint{"DCS_ENDPOINT", nullptr};
    ScopedEnv region{"DCS_REGION", nullptr};
    // The Huawei Cloud Terraform provider's set, the fallback (test_load_env_hw.cpp).
    ScopedEnv hw_ak{"HW_ACCESS_KEY", nullptr};
    ScopedEnv hw_sk{"HW_SECRET_KEY", nullptr};
    ScopedEnv hw_token{"HW_SECURITY_TOKEN", nullptr};
    ScopedEnv hw_project{"HW_PROJECT_ID", nullptr};
    ScopedEnv hw_region{"HW_REGION_NAME", nullptr};
};

}  // namespace

TEST_CASE("load_env fills every unset field from the environment") {
    FullEnvironment env;
    ClientConfig config;
    load_env(config);
    CHECK(config.credentials.access_key == "ENVACCESSKEY");
    CHECK(config.credentials.secret_key == "env-secret");
    CHECK(config.credentials.security_token == "env-token");
    CHECK(config.project_id == "envproject0000000000000000000000");
    CHECK(config.endpoint == "http://127.0.0.1:4000");
    CHECK(config.region == "cn-north-4");
}

TEST_CASE("load_env never overwrites what the caller set") {
    FullEnvironment env;
    ClientConfig config;
    config.credentials.access_key = "MINEACCESSKEY";
    config.credentials.secret_key = "mine-secret";
    config.credentials.security_token = "mine-token";
    config.project_id = "mineproject";
    config.region = "ap-southeast-1";
    load_env(config);
    CHECK(config.credentials.access_key == "MINEACCESSKEY");
    CHECK(config.credentials.secret_key == "mine-secret");
    CHECK(config.credentials.security_token == "mine-token");
    CHECK(config.project_id == "mineproject");
    CHECK(config.region == "ap-southeast-1");
    // An explicit region must not be overridden by DCS_ENDPOINT (which would win over it).
    CHECK(config.endpoint.empty());
}

TEST_CASE("an explicit endpoint keeps DCS_REGION out") {
    FullEnvironment env;
    ClientConfig config;
    config.endpoint = "https://mine.example.com";
    load_env(config);
    CHECK(config.endpoint == "https://mine.example.com");
    CHECK(config.region.empty());
}

TEST_CASE("load_env leaves fields empty when the environment has nothing") {
    EmptyEnvironment env;
    ClientConfig config;
    load_env(config);
    CHECK(config.credentials.access_key.empty());
    CHECK(config.credentials.secret_key.empty());
    CHECK(config.credentials.security_token.empty());
    CHECK(config.project_id.empty());
    CHECK(config.endpoint.empty());
    CHECK(config.region.empty());
    // And such a configuration is refused before any request.
    auto err = dcs::core::validate_config(config);
    REQUIRE(err.has_value());
    CHECK(err->status == dcs::core::Status::InvalidArgument);
}

TEST_CASE("a configuration loaded from the environment validates") {
    FullEnvironment env;
    ScopedEnv project("HUAWEICLOUD_SDK_PROJECT_ID", "0123456789abcdef0123456789abcdef");
    ClientConfig config;
    load_env(config);
    CHECK_FALSE(dcs::core::validate_config(config).has_value());
    auto endpoint = dcs::core::resolve_endpoint(config);
    REQUIRE(endpoint.ok());
    CHECK(endpoint.value().base_url == "http://127.0.0.1:4000");  // DCS_ENDPOINT beats DCS_REGION
}
