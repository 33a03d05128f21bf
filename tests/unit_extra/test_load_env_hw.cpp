// load_env with the Huawei Cloud Terraform provider's variables (HW_*): the fallback after
// what the caller set and the official SDKs' HUAWEICLOUD_SDK_*, with keys and token never
// taken from two different sets.
#include <doctest/doctest.h>

#include "config.hpp"
#include "scoped_env.hpp"

using dcs::core::ClientConfig;
using dcs::core::load_env;
using dcs::test::ScopedEnv;

namespace {

constexpr const char* kHwProject = "0123456789abcdef0123456789abcdef";

// The HW_* set, and nothing of the official SDKs' or libdcs's own.
struct HwEnvironment {
    ScopedEnv sdk_ak{"HUAWEICLOUD_SDK_AK", nullptr};
    ScopedEnv sdk_sk{"HUAWEICLOUD_SDK_SK", nullptr};
    ScopedEnv sdk_token{"HUAWEICLOUD_SDK_SECURITY_TOKEN", nullptr};
    ScopedEnv sdk_project{"HUAWEICLOUD_SDK_PROJECT_ID", nullptr};
    ScopedEnv endpoint{"DCS_ENDPOINT", nullptr};
    ScopedEnv region{"DCS_REGION", nullptr};
    ScopedEnv hw_ak{"HW_ACCESS_KEY", "HWACCESSKEY"};
    ScopedEnv hw_sk{"HW_SECRET_KEY", "hw-secret"};
    ScopedEnv hw_token{"HW_SECURITY_TOKEN", "hw-token"};
    ScopedEnv hw_project{"HW_PROJECT_ID", kHwProject};
    ScopedEnv hw_region{"HW_REGION_NAME", "ap-southeast-3"};
};

}  // namespace

TEST_CASE("HW_* alone configure a client") {
    HwEnvironment env;
    ClientConfig config;
    load_env(config);
    CHECK(config.credentials.access_key == "HWACCESSKEY");
    CHECK(config.credentials.secret_key == "hw-secret");
    CHECK(config.credentials.security_token == "hw-token");
    CHECK(config.project_id == kHwProject);
    CHECK(config.region == "ap-southeast-3");
    CHECK(config.endpoint.empty());
    CHECK_FALSE(dcs::core::validate_config(config).has_value());
    auto endpoint = dcs::core::resolve_endpoint(config);
    REQUIRE(endpoint.ok());
    CHECK(endpoint.value().base_url == "https://dcs.ap-southeast-3.myhuaweicloud.com");
}

TEST_CASE("HUAWEICLOUD_SDK_* and DCS_* win over HW_*") {
    HwEnvironment env;
    ScopedEnv ak("HUAWEICLOUD_SDK_AK", "SDKACCESSKEY");
    ScopedEnv sk("HUAWEICLOUD_SDK_SK", "sdk-secret");
    ScopedEnv token("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sdk-token");
    ScopedEnv project("HUAWEICLOUD_SDK_PROJECT_ID", "sdkproject");
    ScopedEnv region("DCS_REGION", "cn-north-4");
    ClientConfig config;
    load_env(config);
    CHECK(config.credentials.access_key == "SDKACCESSKEY");
    CHECK(config.credentials.secret_key == "sdk-secret");
    CHECK(config.credentials.security_token == "sdk-token");
    CHECK(config.project_id == "sdkproject");
    CHECK(config.region == "cn-north-4");
}

TEST_CASE("what the caller set wins over HW_*") {
    HwEnvironment env;
    ClientConfig config;
    config.credentials.access_key = "MINEACCESSKEY";
    config.credentials.secret_key = "mine-secret";
    config.project_id = "mineproject";
    config.endpoint = "http://127.0.0.1:4000";
    load_env(config);
    CHECK(config.credentials.access_key == "MINEACCESSKEY");
    CHECK(config.credentials.secret_key == "mine-secret");
    CHECK(config.project_id == "mineproject");
    CHECK(config.endpoint == "http://127.0.0.1:4000");
    // An explicit endpoint keeps the environment's region out, as DCS_REGION's.
    CHECK(config.region.empty());
    // The token of the HW_* keys never joins the caller's keys.
    CHECK(config.credentials.security_token.empty());
}

TEST_CASE("keys and token are never taken from two sets") {
    HwEnvironment env;
    SUBCASE("one official SDK key chooses that set: the other key is not taken from HW_*") {
        ScopedEnv ak("HUAWEICLOUD_SDK_AK", "SDKACCESSKEY");
        ClientConfig config;
        load_env(config);
        CHECK(config.credentials.access_key == "SDKACCESSKEY");
        CHECK(config.credentials.secret_key.empty());
        CHECK(config.credentials.security_token.empty());
        auto err = dcs::core::validate_config(config);
        REQUIRE(err.has_value());
        CHECK(err->status == dcs::core::Status::InvalidArgument);
    }
    SUBCASE("HW_SECURITY_TOKEN does not join the official SDK keys") {
        ScopedEnv ak("HUAWEICLOUD_SDK_AK", "SDKACCESSKEY");
        ScopedEnv sk("HUAWEICLOUD_SDK_SK", "sdk-secret");
        ClientConfig config;
        load_env(config);
        CHECK(config.credentials.access_key == "SDKACCESSKEY");
        CHECK(config.credentials.secret_key == "sdk-secret");
        CHECK(config.credentials.security_token.empty());
    }
    SUBCASE("an empty official SDK variable counts as unset") {
        ScopedEnv ak("HUAWEICLOUD_SDK_AK", "");
        ScopedEnv project("HUAWEICLOUD_SDK_PROJECT_ID", "");
        ClientConfig config;
        load_env(config);
        CHECK(config.credentials.access_key == "HWACCESSKEY");
        CHECK(config.credentials.secret_key == "hw-secret");
        CHECK(config.credentials.security_token == "hw-token");
        CHECK(config.project_id == kHwProject);
    }
}

TEST_CASE("DCS_ENDPOINT wins over HW_REGION_NAME") {
    HwEnvironment env;
    ScopedEnv endpoint("DCS_ENDPOINT", "http://127.0.0.1:4000");
    ClientConfig config;
    load_env(config);
    CHECK(config.endpoint == "http://127.0.0.1:4000");
    auto resolved = dcs::core::resolve_endpoint(config);
    REQUIRE(resolved.ok());
    CHECK(resolved.value().base_url == "http://127.0.0.1:4000");
}

TEST_CASE("an explicit region keeps HW_REGION_NAME out") {
    HwEnvironment env;
    ClientConfig config;
    config.region = "cn-south-1";
    load_env(config);
    CHECK(config.region == "cn-south-1");
}
