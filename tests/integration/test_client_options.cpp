// The client-options calls dcsctl needed and the C ABI gained: which options are set (never
// their values), the keys one at a time, and the transport's version line.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

int is_set(const dcs_client_options* opts, int option) {
    int set = -1;
    dcs_error* err = nullptr;
    dcs_status st = dcs_client_options_is_set(opts, option, &set, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(st == DCS_OK, f.message);
    return set;
}

ClientOptionsPtr new_options() {
    dcs_client_options* raw = nullptr;
    REQUIRE(dcs_client_options_new(&raw, nullptr) == DCS_OK);
    return ClientOptionsPtr(raw);
}

}  // namespace

TEST_CASE("dcs_client_options_is_set follows the setters and load_env") {
    auto opts = new_options();
    for (int option = DCS_CLIENT_OPTION_REGION; option <= DCS_CLIENT_OPTION_SECURITY_TOKEN;
         ++option) {
        CAPTURE(option);
        CHECK(is_set(opts.get(), option) == 0);
    }
    REQUIRE(dcs_client_options_set_endpoint(opts.get(), emulator_url().c_str(), nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_set_access_key(opts.get(), demo::kAccessKey, nullptr) == DCS_OK);
    CHECK(is_set(opts.get(), DCS_CLIENT_OPTION_ENDPOINT) == 1);
    CHECK(is_set(opts.get(), DCS_CLIENT_OPTION_ACCESS_KEY) == 1);
    CHECK(is_set(opts.get(), DCS_CLIENT_OPTION_SECRET_KEY) == 0);
    CHECK(is_set(opts.get(), DCS_CLIENT_OPTION_REGION) == 0);

    // The environment fills what is still unset: here the project id.
    ::setenv("HUAWEICLOUD_SDK_PROJECT_ID", demo::kProjectId, 1);
    REQUIRE(dcs_client_options_load_env(opts.get(), nullptr) == DCS_OK);
    ::unsetenv("HUAWEICLOUD_SDK_PROJECT_ID");
    CHECK(is_set(opts.get(), DCS_CLIENT_OPTION_PROJECT_ID) == 1);
}

TEST_CASE("keys set one at a time make a client that restores") {
    Sandbox sandbox;
    auto opts = new_options();
    REQUIRE(dcs_client_options_set_endpoint(opts.get(), emulator_url().c_str(), nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_set_project_id(opts.get(), demo::kProjectId, nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_set_secret_key(opts.get(), demo::kSecretKey, nullptr) == DCS_OK);
    dcs_client* raw = nullptr;
    // One key alone is not enough.
    CHECK(dcs_client_new(opts.get(), &raw, nullptr) == DCS_E_INVALID_ARGUMENT);
    REQUIRE(dcs_client_options_set_access_key(opts.get(), demo::kAccessKey, nullptr) == DCS_OK);
    dcs_error* err = nullptr;
    REQUIRE(dcs_client_new(opts.get(), &raw, &err) == DCS_OK);
    ClientPtr client(raw);
    char* id = nullptr;
    REQUIRE(dcs_restore_instance(client.get(), sandbox.instance_id.c_str(),
                                 sandbox.backup_id.c_str(), nullptr, nullptr, &id, &err) == DCS_OK);
    dcs_string_free(id);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
}

TEST_CASE("bad arguments to the new option calls are refused") {
    auto opts = new_options();
    int set = 0;
    dcs_error* err = nullptr;
    CHECK(dcs_client_options_is_set(nullptr, DCS_CLIENT_OPTION_REGION, &set, &err) ==
          DCS_E_INVALID_ARGUMENT);
    dcs_error_free(err);
    CHECK(dcs_client_options_is_set(opts.get(), DCS_CLIENT_OPTION_REGION, nullptr, nullptr) ==
          DCS_E_INVALID_ARGUMENT);
    CHECK(dcs_client_options_is_set(opts.get(), 0, &set, nullptr) == DCS_E_INVALID_ARGUMENT);
    CHECK(dcs_client_options_is_set(opts.get(), 99, &set, nullptr) == DCS_E_INVALID_ARGUMENT);
    CHECK(dcs_client_options_set_access_key(opts.get(), nullptr, nullptr) ==
          DCS_E_INVALID_ARGUMENT);
    CHECK(dcs_client_options_set_secret_key(nullptr, "sk", nullptr) == DCS_E_INVALID_ARGUMENT);
}

TEST_CASE("dcs_transport_version_string names libcurl") {
    std::string version = dcs_transport_version_string();
    CHECK(version.find("libcurl/") != std::string::npos);
}
