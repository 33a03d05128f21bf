// Credentials that outlive a long wait: temporary credentials from the (emulated) ECS metadata
// service and from a caller's provider are fetched again before they expire, so a wait longer
// than their lifetime succeeds; a refusal as expired is retried once with fresh ones; a failing
// provider sends nothing; the profile file and the environment take their place in the chain.
// Proven from the emulator's side: credentials issued, requests refused as expired, the access
// keys of the requests it received.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../unit_extra/scoped_env.hpp"
#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// RFC 3339 in UTC, whole seconds.
std::string rfc3339(int64_t epoch_seconds) {
    std::time_t t = epoch_seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Options on the emulator with a project and no keys: the chain supplies them.
ClientOptionsPtr keyless_options(bool with_project = true) {
    dcs_client_options* raw = nullptr;
    REQUIRE(dcs_client_options_new(&raw, nullptr) == DCS_OK);
    ClientOptionsPtr opts(raw);
    REQUIRE(dcs_client_options_set_endpoint(opts.get(), emulator_url().c_str(), nullptr) == DCS_OK);
    if (with_project) {
        REQUIRE(dcs_client_options_set_project_id(opts.get(), demo::kProjectId, nullptr) == DCS_OK);
    }
    REQUIRE(dcs_client_options_set_max_attempts(opts.get(), 1, nullptr) == DCS_OK);
    return opts;
}

ClientPtr new_client(const dcs_client_options* opts) {
    dcs_client* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_client_new(opts, &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    return ClientPtr(raw);
}

Failure list_restores(dcs_client* client, const std::string& instance_id) {
    dcs_restore_list* list = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_list_restores(client, instance_id.c_str(), nullptr, nullptr, &list, &err);
    RestoreListPtr owned(list);
    Failure f = take_error(err);
    CHECK(f.status == status);
    return f;
}

std::set<std::string> access_keys_received() {
    std::set<std::string> keys;
    for (const auto& request : admin().requests()) {
        keys.insert(request.access_key);
    }
    return keys;
}

// Starts a restore that runs `running_ms` and waits for it, polling every 100 ms.
Failure restore_and_wait(dcs_client* client, const Sandbox& sandbox, int64_t running_ms) {
    admin().set_restore_timings(sandbox.instance_id, 50, running_ms);
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client, sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             nullptr, nullptr, &raw_id, &err);
    Failure started = take_error(err);
    if (status != DCS_OK) {
        return started;
    }
    StringPtr restore_id(raw_id);
    dcs_wait_options* raw_wait = nullptr;
    REQUIRE(dcs_wait_options_new(&raw_wait, nullptr) == DCS_OK);
    WaitOptionsPtr wait(raw_wait);
    REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), 100, nullptr) == DCS_OK);
    REQUIRE(dcs_wait_options_set_max_poll_interval_ms(wait.get(), 100, nullptr) == DCS_OK);
    auto call = make_call_options(CallSettings{running_ms + 20000, nullptr, 0, false});
    dcs_restore_record* record = nullptr;
    status = dcs_wait_for_restore(client, sandbox.instance_id.c_str(), restore_id.get(), wait.get(),
                                  call.get(), &record, &err);
    RestoreRecordPtr owned(record);
    Failure waited = take_error(err);
    if (status == DCS_OK) {
        CHECK(std::string(dcs_restore_record_status(record)) == "succeed");
    }
    return waited;
}

// A provider that registers a fresh temporary credential with the emulator on every call
// and reports it as living `lifetime_s` seconds; it records when it was called and what
// expiry it gave.
struct Vault {
    int64_t lifetime_s = 2;
    std::string emulator_expires_at;  // what the emulator is told; "" = never
    bool fail = false;
    bool set_nothing = false;
    std::mutex mu;
    std::vector<int64_t> called_at_ms;
    std::vector<int64_t> expires_at_s;

    static int provide(void* user_data, dcs_credentials* creds) {
        auto* vault = static_cast<Vault*>(user_data);
        std::lock_guard<std::mutex> lock(vault->mu);
        int64_t now = now_ms();
        vault->called_at_ms.push_back(now);
        if (vault->fail) {
            dcs_credentials_set_failure(creds, "the vault is sealed");
            return 1;
        }
        if (vault->set_nothing) {
            return 0;
        }
        std::string ak = "VAULTAK" + std::to_string(vault->called_at_ms.size()) + "X" +
                         std::to_string(now % 100000);
        std::string sk = "vault-secret-" + ak;
        std::string token = "vault-token-" + ak;
        admin().add_credential(ak, sk, demo::kProjectId, token, vault->emulator_expires_at);
        int64_t expires = vault->lifetime_s == 0 ? 0 : now / 1000 + vault->lifetime_s;
        vault->expires_at_s.push_back(expires);
        return dcs_credentials_set(creds, ak.c_str(), sk.c_str(), token.c_str(), expires,
                                   nullptr) == DCS_OK
                   ? 0
                   : 1;
    }
};

std::string write_profile(const std::string& name, const std::string& text) {
    std::string path = "/tmp/libdcs-test-profile-" + std::to_string(now_ms()) + "-" + name;
    std::ofstream(path) << text;
    return path;
}

const std::string kDemoProfile = std::string("# written by test_credentials\n[basic]\nak = ") +
                                 demo::kAccessKey + "\nsk = " + demo::kSecretKey +
                                 "\nproject_id = " + demo::kProjectId +
                                 "\n\n[other]\nak = NOSUCHKEY\nsk = nosuchsecret\n";

// Turns the emulator's metadata agency off again, whatever the test did.
struct MetadataOff {
    ~MetadataOff() {
        try {
            admin().set_metadata("", 0);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "metadata teardown: %s\n", e.what());
        }
    }
};

}  // namespace

TEST_CASE("a wait longer than the metadata credentials' lifetime succeeds through refresh") {
    Sandbox sandbox;
    MetadataOff off;
    admin().set_metadata(demo::kProjectId, 1500);
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_use_credentials_metadata(opts.get(), 1, emulator_url().c_str(),
                                                        nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    int64_t issued = admin().stat("credentials_issued");
    int64_t refused = admin().stat("expired_refused");

    Failure f = restore_and_wait(client.get(), sandbox, 4000);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);

    // Four seconds of polls with credentials living 1.5 s: fetched at least three times,
    // each time ahead of the expiry. A machine that stalls a signed request past the 375 ms
    // margin may see one refused, answered by the one retry with fresh credentials.
    CHECK(admin().stat("credentials_issued") - issued >= 3);
    CHECK(admin().stat("expired_refused") - refused <= 1);
    auto keys = access_keys_received();
    CHECK(keys.size() >= 3);
    for (const auto& key : keys) {
        CHECK(key.rfind("TMP", 0) == 0);  // every request signed with issued credentials
    }
}

TEST_CASE("the metadata service without an agency fails the call with DCS_E_AUTH, nothing sent") {
    Sandbox sandbox;
    admin().set_metadata("", 0);
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_use_credentials_metadata(opts.get(), 1, emulator_url().c_str(),
                                                        nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    int64_t requests = admin().stats().requests;
    Failure f = list_restores(client.get(), sandbox.instance_id);
    CHECK(f.status == DCS_E_AUTH);
    CHECK(f.message.find("metadata service") != std::string::npos);
    CHECK(f.message.find("Cloud Service Agency") != std::string::npos);
    CHECK(admin().stats().requests == requests);
}

TEST_CASE("a provider is called again before its credentials expire, through a long wait") {
    Sandbox sandbox;
    Vault vault;
    vault.lifetime_s = 2;
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_set_credentials_provider(opts.get(), Vault::provide, &vault,
                                                        nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    CHECK(vault.called_at_ms.empty());  // fetched when first needed, not at creation

    Failure f = restore_and_wait(client.get(), sandbox, 4500);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);

    std::lock_guard<std::mutex> lock(vault.mu);
    REQUIRE(vault.called_at_ms.size() >= 3);
    for (size_t i = 1; i < vault.called_at_ms.size(); ++i) {
        // Each refresh came while the previous credentials were still valid.
        CHECK(vault.called_at_ms[i] < vault.expires_at_s[i - 1] * 1000);
    }
    CHECK(access_keys_received().size() >= 3);
}

TEST_CASE("credentials the service refuses as expired are replaced once and the call goes on") {
    Sandbox sandbox;
    Vault vault;
    // The provider believes its first credentials never expire; the emulator ends them in
    // 1-2 s. The next call is refused as expired and retried with the second ones.
    vault.lifetime_s = 0;
    vault.emulator_expires_at = rfc3339(now_ms() / 1000 + 2);
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_set_credentials_provider(opts.get(), Vault::provide, &vault,
                                                        nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    Failure first = list_restores(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(first.status == DCS_OK, first.message);
    vault.emulator_expires_at.clear();
    // Waiting for time itself to pass: the credential's end is on the emulator's clock.
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    int64_t refused = admin().stat("expired_refused");
    Failure second = list_restores(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(second.status == DCS_OK, second.message);
    CHECK(admin().stat("expired_refused") - refused == 1);
    std::lock_guard<std::mutex> lock(vault.mu);
    CHECK(vault.called_at_ms.size() == 2);
}

TEST_CASE("a failing provider gives DCS_E_AUTH with its message and sends nothing") {
    Sandbox sandbox;
    Vault vault;
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_set_credentials_provider(opts.get(), Vault::provide, &vault,
                                                        nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    int64_t requests = admin().stats().requests;

    vault.fail = true;
    Failure f = list_restores(client.get(), sandbox.instance_id);
    CHECK(f.status == DCS_E_AUTH);
    CHECK(f.message.find("credentials provider") != std::string::npos);
    CHECK(f.message.find("the vault is sealed") != std::string::npos);
    CHECK(f.request_sent == DCS_SENT_NO);

    vault.fail = false;
    vault.set_nothing = true;
    f = list_restores(client.get(), sandbox.instance_id);
    CHECK(f.status == DCS_E_AUTH);
    CHECK(f.message.find("dcs_credentials_set was not called") != std::string::npos);

    CHECK(admin().stats().requests == requests);
}

TEST_CASE("a provider wins over explicit keys") {
    Sandbox sandbox;
    Vault vault;
    vault.lifetime_s = 0;
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_set_credentials(opts.get(), "NOTUSEDAK", "not-used-sk", nullptr) ==
            DCS_OK);
    REQUIRE(dcs_client_options_set_credentials_provider(opts.get(), Vault::provide, &vault,
                                                        nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    Failure f = list_restores(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
    auto keys = access_keys_received();
    REQUIRE(keys.size() == 1);
    CHECK(keys.begin()->rfind("VAULTAK", 0) == 0);
}

TEST_CASE("the profile file gives keys and project; a named section must exist") {
    Sandbox sandbox;
    std::string path = write_profile("named", kDemoProfile);
    auto opts = keyless_options(false);
    REQUIRE(dcs_client_options_use_credentials_profile(opts.get(), 1, path.c_str(), nullptr,
                                                       nullptr) == DCS_OK);
    auto client = new_client(opts.get());
    Failure f = list_restores(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
    CHECK(access_keys_received() == std::set<std::string>{demo::kAccessKey});

    REQUIRE(dcs_client_options_use_credentials_profile(opts.get(), 1, path.c_str(), "missing",
                                                       nullptr) == DCS_OK);
    dcs_client* raw = nullptr;
    dcs_error* err = nullptr;
    CHECK(dcs_client_new(opts.get(), &raw, &err) == DCS_E_INVALID_ARGUMENT);
    Failure missing = take_error(err);
    CHECK(missing.message.find("[missing]") != std::string::npos);
    CHECK(raw == nullptr);
    std::remove(path.c_str());
}

TEST_CASE("HUAWEICLOUD_SDK_CREDENTIALS_FILE names the default profile file") {
    Sandbox sandbox;
    std::string path = write_profile("env", kDemoProfile);
    ScopedEnv file("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path.c_str());
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_use_credentials_profile(opts.get(), 1, nullptr, nullptr, nullptr) ==
            DCS_OK);
    auto client = new_client(opts.get());
    Failure f = list_restores(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
    CHECK(access_keys_received() == std::set<std::string>{demo::kAccessKey});
    std::remove(path.c_str());
}

TEST_CASE("environment keys come before the profile file; an absent default file is skipped") {
    Sandbox sandbox;
    // The profile's [basic] keys are unknown to the emulator: only the environment's work.
    std::string path =
        write_profile("precedence", "[basic]\nak = PROFILEAK\nsk = profile-secret\n");
    ScopedEnv file("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path.c_str());
    ScopedEnv ak("HUAWEICLOUD_SDK_AK", demo::kAccessKey);
    ScopedEnv sk("HUAWEICLOUD_SDK_SK", demo::kSecretKey);
    auto opts = keyless_options();
    REQUIRE(dcs_client_options_load_env(opts.get(), nullptr) == DCS_OK);
    REQUIRE(dcs_client_options_use_credentials_profile(opts.get(), 1, nullptr, nullptr, nullptr) ==
            DCS_OK);
    auto client = new_client(opts.get());
    Failure f = list_restores(client.get(), sandbox.instance_id);
    REQUIRE_MESSAGE(f.status == DCS_OK, f.message);
    CHECK(access_keys_received() == std::set<std::string>{demo::kAccessKey});
    std::remove(path.c_str());

    // No keys, the default file absent, no metadata step: credentials are missing.
    ScopedEnv gone("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path.c_str());
    auto bare = keyless_options();
    REQUIRE(dcs_client_options_use_credentials_profile(bare.get(), 1, nullptr, nullptr, nullptr) ==
            DCS_OK);
    dcs_client* raw = nullptr;
    dcs_error* err = nullptr;
    CHECK(dcs_client_new(bare.get(), &raw, &err) == DCS_E_INVALID_ARGUMENT);
    CHECK(take_error(err).message.find("credentials are missing") != std::string::npos);
}

TEST_CASE("dcs_credentials_set and the chain setters reject what they cannot use") {
    dcs_error* err = nullptr;
    CHECK(dcs_credentials_set(nullptr, "a", "b", nullptr, 0, &err) == DCS_E_INVALID_ARGUMENT);
    take_error(err);
    dcs_credentials_set_failure(nullptr, "ignored");  // NULL-safe
    auto opts = keyless_options();
    CHECK(dcs_client_options_use_credentials_metadata(opts.get(), 1, "ftp://nope", &err) ==
          DCS_E_INVALID_ARGUMENT);
    CHECK(take_error(err).message.find("metadata") != std::string::npos);
    CHECK(dcs_client_options_set_credentials_provider(nullptr, nullptr, nullptr, &err) ==
          DCS_E_INVALID_ARGUMENT);
    take_error(err);
}
