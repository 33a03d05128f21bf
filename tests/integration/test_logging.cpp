// The log callback: it receives lines, at the levels asked for, and no line (nor any error
// message) ever carries the secret key, the security token or the signature.
#include <doctest/doctest.h>

#include <mutex>
#include <string>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

struct LogLines {
    std::mutex mu;
    std::vector<std::pair<int, std::string>> lines;
};

void collect(void* user_data, int level, const char* message) {
    auto* log = static_cast<LogLines*>(user_data);
    std::lock_guard<std::mutex> lock(log->mu);
    log->lines.emplace_back(level, message);
}

const char* const kTemporaryAk = "LOGTESTACCESSKEY0001";
const char* const kTemporarySk = "log-test-secret-key-do-not-print-0123";
const char* const kToken = "log-test-security-token-do-not-print-0123456789";

void expect_no_secret(const std::string& text) {
    CAPTURE(text);
    CHECK(text.find(kTemporarySk) == std::string::npos);
    CHECK(text.find(kToken) == std::string::npos);
    CHECK(text.find(demo::kSecretKey) == std::string::npos);
    CHECK(text.find("Authorization") == std::string::npos);
    CHECK(text.find("authorization") == std::string::npos);
    CHECK(text.find("Signature=") == std::string::npos);
    CHECK(text.find("SDK-HMAC-SHA256") == std::string::npos);
}

}  // namespace

TEST_CASE("log lines arrive and never carry a secret") {
    Sandbox sandbox;
    admin().add_credential(kTemporaryAk, kTemporarySk, demo::kProjectId, kToken);
    LogLines log;
    ClientSettings settings;
    settings.access_key = kTemporaryAk;
    settings.secret_key = kTemporarySk;
    settings.security_token = kToken;
    settings.log_fn = collect;
    settings.log_user_data = &log;
    settings.log_level = DCS_LOG_DEBUG;
    auto client = sandbox.client(settings);
    std::vector<std::string> error_messages;

    // A retried failure, a restore that loses its answer (reconciliation), a wait, and a
    // refusal: every path that logs.
    FaultSpec flaky;
    flaky.operation = "ShowInstance";
    flaky.kind = "status";
    flaky.count = 1;
    flaky.status = 503;
    admin().add_fault(flaky);
    FaultSpec lost;
    lost.operation = "RestoreInstance";
    lost.kind = "close_after";
    lost.count = 1;
    admin().add_fault(lost);

    dcs_instance* instance = nullptr;
    REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance,
                              nullptr) == DCS_OK);
    dcs_instance_free(instance);

    char* raw_id = nullptr;
    REQUIRE(dcs_restore_instance(client.get(), sandbox.instance_id.c_str(),
                                 sandbox.backup_id.c_str(), "logged", nullptr, &raw_id,
                                 nullptr) == DCS_OK);
    StringPtr restore_id(raw_id);

    dcs_wait_options* raw_wait = nullptr;
    REQUIRE(dcs_wait_options_new(&raw_wait, nullptr) == DCS_OK);
    WaitOptionsPtr wait(raw_wait);
    REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), 20, nullptr) == DCS_OK);
    REQUIRE(dcs_wait_options_set_max_poll_interval_ms(wait.get(), 50, nullptr) == DCS_OK);
    REQUIRE(dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(), restore_id.get(),
                                 wait.get(), nullptr, nullptr, nullptr) == DCS_OK);

    // Failures whose messages must be clean too: a bad token, and a wrong secret key.
    ClientSettings wrong = settings;
    wrong.security_token = std::string(kToken) + "-wrong";
    auto wrong_client = sandbox.client(wrong);
    dcs_error* err = nullptr;
    CHECK(dcs_show_instance(wrong_client.get(), sandbox.instance_id.c_str(), nullptr, &instance,
                            &err) == DCS_E_AUTH);
    error_messages.push_back(take_error(err).message);
    ClientSettings bad_key = settings;
    bad_key.secret_key = std::string(kTemporarySk) + "-wrong";
    auto bad_key_client = sandbox.client(bad_key);
    CHECK(dcs_restore_instance(bad_key_client.get(), sandbox.instance_id.c_str(),
                               sandbox.backup_id.c_str(), nullptr, nullptr, &raw_id,
                               &err) == DCS_E_AUTH);
    error_messages.push_back(take_error(err).message);

    std::lock_guard<std::mutex> lock(log.mu);
    REQUIRE(log.lines.size() >= 5);
    bool saw_debug = false, saw_warn_or_info = false, saw_adoption = false;
    for (const auto& [level, line] : log.lines) {
        CHECK(level >= DCS_LOG_ERROR);
        CHECK(level <= DCS_LOG_DEBUG);
        CHECK_FALSE(line.empty());
        CHECK(line.find('\n') == std::string::npos);
        expect_no_secret(line);
        saw_debug = saw_debug || level == DCS_LOG_DEBUG;
        saw_warn_or_info = saw_warn_or_info || level == DCS_LOG_WARN || level == DCS_LOG_INFO;
        saw_adoption =
            saw_adoption ||
            line.find("adopting restore " + std::string(restore_id.get())) != std::string::npos;
    }
    CHECK(saw_debug);
    CHECK(saw_warn_or_info);
    CHECK(saw_adoption);  // the lost answer was found again, and said so
    for (const auto& message : error_messages) {
        CHECK_FALSE(message.empty());
        expect_no_secret(message);
    }
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
}

TEST_CASE("the log level filters what the callback receives") {
    Sandbox sandbox;
    LogLines log;
    ClientSettings settings;
    settings.log_fn = collect;
    settings.log_user_data = &log;
    settings.log_level = DCS_LOG_WARN;
    auto client = sandbox.client(settings);
    dcs_instance* instance = nullptr;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance,
                                  nullptr) == DCS_OK);
        dcs_instance_free(instance);
    }
    std::lock_guard<std::mutex> lock(log.mu);
    for (const auto& [level, line] : log.lines) {
        CAPTURE(line);
        CHECK(level <= DCS_LOG_WARN);
    }
}
