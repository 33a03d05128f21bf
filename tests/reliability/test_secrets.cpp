// No secret leaves the C ABI: a full run with temporary credentials (a successful restore and
// wait, then every kind of error: 401, 404, 500, timeout, bad response, restore failed,
// cancelled) logs at DEBUG through the log callback, and neither a log line nor any part of
// an error carries the secret key, the security token, "Authorization" or "Signature=".
#include <doctest/doctest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

const char* const kAk = "RELIABILITYAK0000001";
const char* const kSk = "reliability-secret-key-Qm7xV2pL9sK4tR8wZ1nB";
const char* const kToken = "reliability-security-token-Hc5jD3fG8kL1qW6eR0tY2uI4oP7aS9dF";
// A secret key that the service does not know, for the 401: a secret all the same.
const char* const kWrongSk = "reliability-wrong-secret-Ux3vB8nM1cX6zL4kJ9hG";

struct Transcript {
    std::mutex mu;
    std::vector<std::string> texts;  // every log line and every part of every error
    std::set<dcs_status> statuses;   // the errors the run met

    void add(std::string text) {
        std::lock_guard<std::mutex> lock(mu);
        texts.push_back(std::move(text));
    }
};

void log_line(void* user_data, int /*level*/, const char* message) {
    static_cast<Transcript*>(user_data)->add(message);
}

void record_error(Transcript& t, dcs_status status, dcs_error* err) {
    Failure f = take_error(err);
    t.statuses.insert(status);
    for (const std::string* part :
         {&f.message, &f.service_code, &f.service_message, &f.service_ext_message, &f.request_id}) {
        t.add(*part);
    }
}

void show(dcs_client* c, const std::string& instance_id, Transcript& t, int64_t timeout_ms = 0,
          dcs_cancel_token* cancel = nullptr) {
    auto call = make_call_options(CallSettings{timeout_ms, cancel, 0, false});
    dcs_instance* instance = nullptr;
    dcs_error* err = nullptr;
    dcs_status st = dcs_show_instance(c, instance_id.c_str(), call.get(), &instance, &err);
    dcs_instance_free(instance);
    if (st != DCS_OK) {
        record_error(t, st, err);
    }
}

// Restores and waits; returns the wait's status.
dcs_status restore_and_wait(dcs_client* c, const Sandbox& s, Transcript& t) {
    char* id = nullptr;
    dcs_error* err = nullptr;
    dcs_status st = dcs_restore_instance(c, s.instance_id.c_str(), s.backup_id.c_str(), "secrets",
                                         nullptr, &id, &err);
    StringPtr restore_id(id);
    if (st != DCS_OK) {
        record_error(t, st, err);
        return st;
    }
    dcs_wait_options* raw = nullptr;
    REQUIRE(dcs_wait_options_new(&raw, nullptr) == DCS_OK);
    WaitOptionsPtr wait(raw);
    REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), 50, nullptr) == DCS_OK);
    auto call = make_call_options(CallSettings{10000, nullptr, 0, false});
    dcs_restore_record* record = nullptr;
    st = dcs_wait_for_restore(c, s.instance_id.c_str(), restore_id.get(), wait.get(), call.get(),
                              &record, &err);
    dcs_restore_record_free(record);
    if (st != DCS_OK) {
        record_error(t, st, err);
    }
    return st;
}

FaultSpec fault(const char* operation, const char* kind) {
    FaultSpec f;
    f.operation = operation;
    f.kind = kind;
    return f;
}

void expect_clean(const std::vector<std::string>& texts) {
    for (const std::string& text : texts) {
        CAPTURE(text);
        for (const char* secret : {kSk, kToken, kWrongSk, "Authorization", "Signature="}) {
            CHECK(text.find(secret) == std::string::npos);
        }
    }
}

}  // namespace

TEST_CASE("a full run with every kind of error logs and reports no secret") {
    Sandbox sandbox;
    admin().add_credential(kAk, kSk, demo::kProjectId, kToken);
    Transcript t;
    ClientSettings settings;
    settings.access_key = kAk;
    settings.secret_key = kSk;
    settings.security_token = kToken;
    settings.max_attempts = 2;
    settings.log_fn = log_line;
    settings.log_user_data = &t;
    settings.log_level = DCS_LOG_DEBUG;
    auto client = sandbox.client(settings);
    dcs_client* c = client.get();

    // Success: a restore and its wait, the restore's first answer lost on the way.
    FaultSpec flaky = fault("RestoreInstance", "close_after");
    flaky.count = 1;
    admin().add_fault(flaky);
    CHECK(restore_and_wait(c, sandbox, t) == DCS_OK);

    // 401: the same token with a secret key the service does not know.
    settings.secret_key = kWrongSk;
    auto impostor = sandbox.client(settings);
    show(impostor.get(), sandbox.instance_id, t);

    // 404: an instance that does not exist.
    show(c, "00000000-0000-4000-8000-000000000000", t);

    // 500, every attempt.
    FaultSpec broken = fault("ShowInstance", "status");
    broken.status = 500;
    broken.body = R"({"error_code":"DCS.5000","error_msg":"injected"})";
    broken.count = 2;
    admin().add_fault(broken);
    show(c, sandbox.instance_id, t);

    // Timeout: the answer comes after the deadline.
    FaultSpec slow = fault("ShowInstance", "delay");
    slow.delay_ms = 1500;
    slow.count = 1;
    admin().add_fault(slow);
    show(c, sandbox.instance_id, t, 300);

    // Bad response, every attempt.
    FaultSpec garbage = fault("ShowInstance", "non_json");
    garbage.count = 2;
    admin().add_fault(garbage);
    show(c, sandbox.instance_id, t);

    // Cancelled while the request is in flight.
    admin().clear_faults();
    FaultSpec stuck = fault("ShowInstance", "delay");
    stuck.delay_ms = 1500;
    stuck.count = 1;
    admin().add_fault(stuck);
    auto token = make_cancel_token();
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        dcs_cancel_token_cancel(token.get());
    });
    show(c, sandbox.instance_id, t, 0, token.get());
    canceller.join();

    // The restore fails in the service.
    admin().clear_faults();
    TimingsPatch failing;
    failing.fail_restores = "dcs.08.0007";
    admin().set_timings(failing);
    CHECK(restore_and_wait(c, sandbox, t) == DCS_E_RESTORE_FAILED);

    const std::set<dcs_status> expected = {DCS_E_AUTH,          DCS_E_NOT_FOUND,    DCS_E_SERVER,
                                           DCS_E_TIMEOUT,       DCS_E_BAD_RESPONSE, DCS_E_CANCELLED,
                                           DCS_E_RESTORE_FAILED};
    for (dcs_status st : expected) {
        CAPTURE(dcs_status_str(st));
        CHECK(t.statuses.count(st) == 1);
    }
    CHECK(t.statuses == expected);
    // The run logged: an empty transcript would prove nothing.
    CHECK(t.texts.size() > 20);
    MESSAGE("checked " << t.texts.size() << " log lines and error fields");
    expect_clean(t.texts);
}
