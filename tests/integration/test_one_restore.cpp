// One restore per intent, through the C ABI: dcs_restore_instance_ext says whether the id was
// adopted, dcs_find_restore answers "did my restore start?", an unresolved call says how to
// check, and wait_while_busy waits out a busy instance. Every claim is checked against what
// the emulator itself counted.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

using OutcomePtr = std::unique_ptr<dcs_restore_outcome, decltype(&dcs_restore_outcome_free)>;

int64_t now_epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Started {
    dcs_status status = DCS_OK;
    Failure failure;
    std::string restore_id;
    bool adopted = false;
};

Started start(dcs_client* client, const Sandbox& sandbox, const char* remark,
              const dcs_call_options* call = nullptr) {
    dcs_restore_outcome* raw = nullptr;
    dcs_error* err = nullptr;
    Started s;
    s.status = dcs_restore_instance_ext(client, sandbox.instance_id.c_str(),
                                        sandbox.backup_id.c_str(), remark, call, &raw, &err);
    OutcomePtr outcome(raw, dcs_restore_outcome_free);
    s.failure = take_error(err);
    if (outcome) {
        s.restore_id = dcs_restore_outcome_restore_id(outcome.get());
        s.adopted = dcs_restore_outcome_adopted(outcome.get()) == 1;
    }
    return s;
}

struct Found {
    dcs_status status = DCS_OK;
    Failure failure;
    std::string restore_id;
};

Found find(dcs_client* client, const Sandbox& sandbox, const std::string& backup_id,
           const char* remark, int64_t since_ms) {
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    Found f;
    f.status = dcs_find_restore(client, sandbox.instance_id.c_str(), backup_id.c_str(), remark,
                                since_ms, nullptr, &raw, &err);
    RestoreRecordPtr record(raw);
    f.failure = take_error(err);
    if (record) {
        f.restore_id = dcs_restore_record_restore_id(record.get());
    }
    return f;
}

FaultSpec restore_status(int status, const char* code, int count) {
    FaultSpec f;
    f.operation = "RestoreInstance";
    f.kind = "status";
    f.count = count;
    f.status = status;
    f.body = std::string("{\"error_code\":\"") + code + "\",\"error_msg\":\"injected\"}";
    return f;
}

}  // namespace

TEST_CASE("a restore the service answered is reported as started, not adopted") {
    Sandbox sandbox;
    auto client = sandbox.client();
    Started s = start(client.get(), sandbox, "answered");
    REQUIRE_MESSAGE(s.status == DCS_OK, s.failure.message);
    CHECK_FALSE(s.adopted);
    CHECK_FALSE(s.restore_id.empty());
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
}

TEST_CASE("a restore whose answer was lost is adopted, and posted once") {
    Sandbox sandbox;
    auto client = sandbox.client();
    FaultSpec lost;
    lost.operation = "RestoreInstance";
    lost.kind = "close_after";
    lost.count = 1;
    lost.instance_id = sandbox.instance_id;
    admin().add_fault(lost);
    Started s = start(client.get(), sandbox, "lost answer");
    REQUIRE_MESSAGE(s.status == DCS_OK, s.failure.message);
    CHECK(s.adopted);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
    Found f = find(client.get(), sandbox, sandbox.backup_id, "lost answer", now_epoch_ms() - 60000);
    REQUIRE(f.status == DCS_OK);
    CHECK(f.restore_id == s.restore_id);
}

TEST_CASE("dcs_find_restore finds the restore of that backup and remark made since a time") {
    Sandbox sandbox;
    auto client = sandbox.client();
    int64_t before = now_epoch_ms();
    Started s = start(client.get(), sandbox, "drill");
    REQUIRE_MESSAGE(s.status == DCS_OK, s.failure.message);

    Found found = find(client.get(), sandbox, sandbox.backup_id, "drill", before);
    REQUIRE_MESSAGE(found.status == DCS_OK, found.failure.message);
    CHECK(found.restore_id == s.restore_id);

    SUBCASE("a later start time finds nothing") {
        Found later =
            find(client.get(), sandbox, sandbox.backup_id, "drill", now_epoch_ms() + 120000);
        CHECK(later.status == DCS_E_NOT_FOUND);
        CHECK(later.failure.request_sent == DCS_SENT_YES);
        CHECK(later.failure.message.find(sandbox.backup_id) != std::string::npos);
    }
    SUBCASE("another remark, or none, finds nothing") {
        CHECK(find(client.get(), sandbox, sandbox.backup_id, "other", before).status ==
              DCS_E_NOT_FOUND);
        CHECK(find(client.get(), sandbox, sandbox.backup_id, nullptr, before).status ==
              DCS_E_NOT_FOUND);
    }
    SUBCASE("another backup finds nothing") {
        std::string other = admin().create_backup(sandbox.instance_id);
        CHECK(find(client.get(), sandbox, other, "drill", before).status == DCS_E_NOT_FOUND);
    }
}

TEST_CASE(
    "an ambiguous failure with nothing listed ends unresolved, posted once, and says how to "
    "check") {
    Sandbox sandbox;
    ClientSettings settings;
    settings.reconcile_window_ms = 500;
    auto client = sandbox.client(settings);
    FaultSpec fault = restore_status(500, "DCS.5000", 1);
    fault.instance_id = sandbox.instance_id;
    admin().add_fault(fault);
    int64_t before = now_epoch_ms();
    Started s = start(client.get(), sandbox, "maybe");
    CHECK(s.status == DCS_E_SERVER);
    CHECK(s.failure.request_sent == DCS_SENT_MAYBE);
    CHECK(s.failure.message.rfind("unresolved: the restore may have started", 0) == 0);
    CHECK(s.failure.message.find("find_restore") != std::string::npos);
    CHECK(s.failure.message.find(sandbox.backup_id) != std::string::npos);
    CHECK(s.failure.service_code == "DCS.5000");
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
    // The caller's follow-up: nothing started, so a second, deliberate restore is safe.
    CHECK(find(client.get(), sandbox, sandbox.backup_id, "maybe", before).status ==
          DCS_E_NOT_FOUND);
}

TEST_CASE(
    "an ambiguous failure never adopts the restore this client reported for an earlier intent") {
    // Same backup, same remark, within the second: the earlier restore was created inside the
    // slack that covers the service's whole-second created_at, so only the client's memory of
    // what it already reported tells it apart from one this attempt might have started.
    Sandbox sandbox;
    ClientSettings settings;
    settings.reconcile_window_ms = 500;
    auto client = sandbox.client(settings);
    Started first = start(client.get(), sandbox, "same intent text");
    REQUIRE_MESSAGE(first.status == DCS_OK, first.failure.message);
    REQUIRE_FALSE(first.adopted);

    FaultSpec fault = restore_status(500, "DCS.5000", 1);
    fault.instance_id = sandbox.instance_id;
    admin().add_fault(fault);
    Started second = start(client.get(), sandbox, "same intent text");
    CHECK(second.restore_id != first.restore_id);
    CHECK(second.status == DCS_E_SERVER);
    CHECK(second.failure.request_sent == DCS_SENT_MAYBE);
    CHECK(admin().restore_posts(sandbox.instance_id) == 2);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
    // The caller's own lookup still finds the first restore.
    CHECK(find(client.get(), sandbox, sandbox.backup_id, "same intent text", now_epoch_ms() - 60000)
              .restore_id == first.restore_id);
}

TEST_CASE("a per-call reconcile window overrides the client's") {
    Sandbox sandbox;
    ClientSettings settings;
    settings.reconcile_window_ms = 0;  // the client would look only once
    auto client = sandbox.client(settings);
    TimingsPatch late;
    late.restore_listing_delay_ms = 1000;
    admin().set_timings(late);
    FaultSpec lost;
    lost.operation = "RestoreInstance";
    lost.kind = "close_after";
    lost.count = 1;
    lost.instance_id = sandbox.instance_id;
    admin().add_fault(lost);
    CallSettings call_settings;
    call_settings.reconcile_window_ms = 5000;
    auto call = make_call_options(call_settings);
    Started s = start(client.get(), sandbox, "late listing", call.get());
    REQUIRE_MESSAGE(s.status == DCS_OK, s.failure.message);
    CHECK(s.adopted);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
}

TEST_CASE("wait_while_busy waits out a busy instance beyond the attempts") {
    Sandbox sandbox;
    ClientSettings settings;
    settings.max_attempts = 1;
    auto client = sandbox.client(settings);

    FaultSpec busy = restore_status(400, "DCS.4096", 2);
    busy.instance_id = sandbox.instance_id;
    admin().add_fault(busy);
    Started without = start(client.get(), sandbox, nullptr);
    CHECK(without.status == DCS_E_BUSY);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1);
    admin().clear_faults();

    admin().add_fault(busy);
    CallSettings call_settings;
    call_settings.timeout_ms = 20000;
    call_settings.wait_while_busy = true;
    auto call = make_call_options(call_settings);
    Started with = start(client.get(), sandbox, nullptr, call.get());
    REQUIRE_MESSAGE(with.status == DCS_OK, with.failure.message);
    CHECK_FALSE(with.adopted);
    CHECK(admin().restore_posts(sandbox.instance_id) == 1 + 3);
    CHECK(admin().restores_started(sandbox.instance_id) == 1);
}

TEST_CASE("pre-flight waits for a RESTORING instance only when asked to wait while busy") {
    Sandbox sandbox;
    auto client = sandbox.client();
    TimingsPatch slow;
    slow.restore_waiting_ms = 0;
    slow.restore_running_ms = 1500;
    admin().set_timings(slow);
    Started first = start(client.get(), sandbox, "first");
    REQUIRE_MESSAGE(first.status == DCS_OK, first.failure.message);
    // The instance turns RESTORING when the record leaves "waiting".
    std::string status;
    for (Stopwatch watch; watch.elapsed_ms() < 5000 && status != "RESTORING";
         std::this_thread::sleep_for(std::chrono::milliseconds(10))) {
        dcs_instance* raw = nullptr;
        REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &raw,
                                  nullptr) == DCS_OK);
        InstancePtr instance(raw);
        status = dcs_instance_status(instance.get());
    }
    REQUIRE(status == "RESTORING");

    CallSettings refuse;
    refuse.preflight = true;
    auto refuse_call = make_call_options(refuse);
    Started refused = start(client.get(), sandbox, "second", refuse_call.get());
    CHECK(refused.status == DCS_E_PRECONDITION);
    CHECK(refused.failure.message.find("RESTORING") != std::string::npos);

    CallSettings wait;
    wait.preflight = true;
    wait.wait_while_busy = true;
    wait.timeout_ms = 20000;
    auto wait_call = make_call_options(wait);
    Started second = start(client.get(), sandbox, "second", wait_call.get());
    REQUIRE_MESSAGE(second.status == DCS_OK, second.failure.message);
    CHECK_FALSE(second.adopted);
    CHECK(second.restore_id != first.restore_id);
    // Two intents, two restores; the refused pre-flight posted nothing.
    CHECK(admin().restores_started(sandbox.instance_id) == 2);
    CHECK(admin().restore_posts(sandbox.instance_id) == 2);
}
