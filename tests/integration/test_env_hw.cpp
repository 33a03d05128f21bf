// The Huawei Cloud Terraform provider's environment variables (HW_*) through the C ABI's
// dcs_client_options_load_env, proven from the emulator's side: which access key signed the
// requests, which project they named, and whether the security token that went with the
// keys was the right one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../unit_extra/scoped_env.hpp"
#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

const std::string kHwAk = "HWACCESSKEY000000001";
const std::string kHwSk = "hw-secret-key-0123456789abcdefghijklmn";
const std::string kHwTempAk = "HWTEMPACCESSKEY00001";
const std::string kHwTempSk = "hw-temporary-secret-0123456789";
const std::string kHwToken = "hw-security-token-for-ctest-0123456789";

// Every variable load_env reads, unset, so that the caller's shell cannot decide a test.
struct CleanEnvironment {
    ScopedEnv sdk_ak{"HUAWEICLOUD_SDK_AK", nullptr};
    ScopedEnv sdk_sk{"HUAWEICLOUD_SDK_SK", nullptr};
    ScopedEnv sdk_token{"HUAWEICLOUD_SDK_SECURITY_TOKEN", nullptr};
    ScopedEnv sdk_project{"HUAWEICLOUD_SDK_PROJECT_ID", nullptr};
    ScopedEnv endpoint{"DCS_ENDPOINT", nullptr};
    ScopedEnv region{"DCS_REGION", nullptr};
    ScopedEnv hw_ak{"HW_ACCESS_KEY", nullptr};
    ScopedEnv hw_sk{"HW_SECRET_KEY", nullptr};
    ScopedEnv hw_token{"HW_SECURITY_TOKEN", nullptr};
    ScopedEnv hw_project{"HW_PROJECT_ID", nullptr};
    ScopedEnv hw_region{"HW_REGION_NAME", nullptr};
};

// A client on the emulator configured by the environment alone (the endpoint aside: the
// emulator has no region's host name).
ClientPtr client_from_environment() {
    dcs_client_options* raw_options = nullptr;
    REQUIRE(dcs_client_options_new(&raw_options, nullptr) == DCS_OK);
    ClientOptionsPtr options(raw_options);
    REQUIRE(dcs_client_options_set_endpoint(options.get(), emulator_url().c_str(), nullptr) ==
            DCS_OK);
    REQUIRE(dcs_client_options_load_env(options.get(), nullptr) == DCS_OK);
    dcs_client* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_client_new(options.get(), &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    return ClientPtr(raw);
}

// Starts one restore of the sandbox's instance; the status and the error's text.
Failure restore(const ClientPtr& client, const Sandbox& sandbox) {
    char* id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             nullptr, nullptr, &id, &err);
    dcs_string_free(id);
    Failure f = take_error(err);
    f.status = status;
    return f;
}

// The RestoreInstance requests the emulator received.
std::vector<LoggedRequest> restore_posts() {
    std::vector<LoggedRequest> out;
    for (const auto& r : admin().requests()) {
        if (r.operation == "RestoreInstance") {
            out.push_back(r);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("HW_* alone sign and route a restore") {
    CleanEnvironment clean;
    Sandbox sandbox;
    admin().add_credential(kHwAk, kHwSk, demo::kProjectId);
    ScopedEnv ak("HW_ACCESS_KEY", kHwAk.c_str());
    ScopedEnv sk("HW_SECRET_KEY", kHwSk.c_str());
    ScopedEnv project("HW_PROJECT_ID", demo::kProjectId);

    Failure f = restore(client_from_environment(), sandbox);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
    auto posts = restore_posts();
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].access_key == kHwAk);
    CHECK(posts[0].path.rfind(std::string("/v2/") + demo::kProjectId + "/", 0) == 0);
}

TEST_CASE("HUAWEICLOUD_SDK_* win over HW_*") {
    CleanEnvironment clean;
    Sandbox sandbox;
    admin().add_credential(kHwAk, kHwSk, demo::kProjectId);
    ScopedEnv hw_ak("HW_ACCESS_KEY", kHwAk.c_str());
    ScopedEnv hw_sk("HW_SECRET_KEY", kHwSk.c_str());
    // A project the emulator does not know: used, it would fail the call.
    ScopedEnv hw_project("HW_PROJECT_ID", "ffffffffffffffffffffffffffffffff");
    ScopedEnv ak("HUAWEICLOUD_SDK_AK", demo::kAccessKey);
    ScopedEnv sk("HUAWEICLOUD_SDK_SK", demo::kSecretKey);
    ScopedEnv project("HUAWEICLOUD_SDK_PROJECT_ID", demo::kProjectId);

    Failure f = restore(client_from_environment(), sandbox);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
    auto posts = restore_posts();
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].access_key == demo::kAccessKey);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
}

TEST_CASE("HW_SECURITY_TOKEN goes with the HW_* keys and with no others") {
    CleanEnvironment clean;
    Sandbox sandbox;
    admin().add_credential(kHwTempAk, kHwTempSk, demo::kProjectId, kHwToken);
    ScopedEnv token("HW_SECURITY_TOKEN", kHwToken.c_str());
    ScopedEnv project("HW_PROJECT_ID", demo::kProjectId);

    SUBCASE("temporary HW_* credentials: the token is sent and verified") {
        ScopedEnv ak("HW_ACCESS_KEY", kHwTempAk.c_str());
        ScopedEnv sk("HW_SECRET_KEY", kHwTempSk.c_str());
        Failure f = restore(client_from_environment(), sandbox);
        REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
        auto posts = restore_posts();
        REQUIRE(posts.size() == 1);
        CHECK(posts[0].access_key == kHwTempAk);
        CHECK(admin().restores_started(sandbox.instance_id) == 1);
    }
    SUBCASE("the official SDK's permanent keys do not pick up HW_SECURITY_TOKEN") {
        // The emulator refuses a token sent with a permanent key (401): success proves none
        // was sent.
        ScopedEnv ak("HUAWEICLOUD_SDK_AK", demo::kAccessKey);
        ScopedEnv sk("HUAWEICLOUD_SDK_SK", demo::kSecretKey);
        Failure f = restore(client_from_environment(), sandbox);
        REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
        auto posts = restore_posts();
        REQUIRE(posts.size() == 1);
        CHECK(posts[0].access_key == demo::kAccessKey);
        CHECK(posts[0].status == 200);
    }
}
