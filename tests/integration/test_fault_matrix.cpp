// The fault matrix: every fault the emulator can inject, hitting RestoreInstance once, so the
// retry (if any) meets a healthy service. Whatever happens, one call of dcs_restore_instance_ext
// is one intent, and the emulator's own counters must show it: never two restores, never a
// second POST after an attempt that may have started one (libcurl's silent resend included),
// and a restore that was started is adopted - or the call says "unresolved" (request sent
// MAYBE) when the listing does not show it in time. No call may outlive its deadline.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

constexpr int64_t kCallTimeoutMs = 20000;
constexpr int64_t kDeadlineSlackMs = 300;
// Short, so that the rows whose restore never started end quickly.
constexpr int64_t kReconcileWindowMs = 2000;
// Each attempt's own limit: a hung or late answer ends the attempt after this.
constexpr int64_t kAttemptTimeoutMs = 1000;

// What the call must end with.
enum class Outcome {
    Started,     // DCS_OK, the id the POST's answer carried
    Adopted,     // DCS_OK, the id found in the listing after an ambiguous attempt
    Unresolved,  // an error, request sent MAYBE, "unresolved: ..."
    Refused,     // an error the service's answer proved harmless
};

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::Started:
            return "started";
        case Outcome::Adopted:
            return "adopted";
        case Outcome::Unresolved:
            return "unresolved";
        case Outcome::Refused:
            return "refused";
    }
    return "?";
}

struct Row {
    const char* name;
    std::vector<FaultSpec> faults;
    Outcome outcome;
    dcs_status expected_status;
    int64_t expected_restores;
    int64_t expected_posts;
    int64_t call_timeout_ms = kCallTimeoutMs;
    // Send the restore on a kept-alive connection (where libcurl itself would resend a
    // request whose connection died) or on a fresh one (where it never does).
    bool warm_connection = true;
    TimingsPatch timings = {};
    // How long after the call to look at the counters again: a fault may carry the request
    // out late (a delay), and a late start must be caught.
    int64_t settle_ms = 0;
};

FaultSpec restore_fault(const char* kind) {
    FaultSpec f;
    f.operation = "RestoreInstance";
    f.kind = kind;
    f.count = 1;
    return f;
}

FaultSpec restore_status_fault(int status, const char* code, const char* message) {
    FaultSpec f = restore_fault("status");
    f.status = status;
    f.body = std::string("{\"error_code\":\"") + code + "\",\"error_msg\":\"" + message +
             "\",\"error_ext_msg\":null}";
    return f;
}

FaultSpec restore_fault_ms(const char* kind, int64_t delay_ms) {
    FaultSpec f = restore_fault(kind);
    f.delay_ms = delay_ms;
    return f;
}

// Restores that end the moment they start: "the instance is restoring" can then hide
// nothing, so a second POST would start a second restore.
TimingsPatch instant_restores() {
    TimingsPatch t;
    t.restore_waiting_ms = 0;
    t.restore_running_ms = 0;
    return t;
}

TimingsPatch listed_late(int64_t delay_ms) {
    TimingsPatch t = instant_restores();
    t.restore_listing_delay_ms = delay_ms;
    return t;
}

std::vector<Row> matrix() {
    FaultSpec throttle = restore_fault("throttle");
    throttle.retry_after = 1;
    FaultSpec listing_500;
    listing_500.operation = "ListRestoreRecords";
    listing_500.kind = "status";
    listing_500.count = 1;
    listing_500.status = 500;
    listing_500.body = "{\"error_code\":\"DCS.5000\",\"error_msg\":\"listing failed\"}";

    Row late_beyond{"late_after_work 2500 ms, beyond a 1000 ms attempt",
                    {restore_fault_ms("late_after_work", 2500)},
                    Outcome::Adopted,
                    DCS_OK,
                    1,
                    1};
    Row hang{"hang_after_work", {restore_fault("hang_after_work")}, Outcome::Adopted, DCS_OK, 1, 1};
    Row delay_beyond{"delay 2500 ms, beyond a 1000 ms deadline",
                     {restore_fault_ms("delay", 2500)},
                     Outcome::Unresolved,
                     DCS_E_TIMEOUT,
                     0,
                     1,
                     1000};
    delay_beyond.settle_ms = 2000;

    return {
        // Answers that prove nothing started: posted again, one restore.
        {"status 400 DCS.4097 (restoring)",
         {restore_status_fault(400, "DCS.4097", "the instance is restoring.")},
         Outcome::Started,
         DCS_OK,
         1,
         2},
        {"status 400 DCS.4096 (backuping)",
         {restore_status_fault(400, "DCS.4096", "the instance is backuping.")},
         Outcome::Started,
         DCS_OK,
         1,
         2},
        {"throttle, Retry-After 1", {throttle}, Outcome::Started, DCS_OK, 1, 2},
        // Late answers inside the attempt's time: kept as they were.
        {"delay 500 ms, within the deadline",
         {restore_fault_ms("delay", 500)},
         Outcome::Started,
         DCS_OK,
         1,
         1},
        {"late_after_work 300 ms, within the attempt",
         {restore_fault_ms("late_after_work", 300)},
         Outcome::Started,
         DCS_OK,
         1,
         1},
        delay_beyond,
        // The service acted and the answer was lost or unreadable: adopted, never reposted.
        {"close_after", {restore_fault("close_after")}, Outcome::Adopted, DCS_OK, 1, 1},
        {"close_after, instant restores (libcurl would resend)",
         {restore_fault("close_after")},
         Outcome::Adopted,
         DCS_OK,
         1,
         1,
         kCallTimeoutMs,
         true,
         instant_restores()},
        {"close_after, fresh connection",
         {restore_fault("close_after")},
         Outcome::Adopted,
         DCS_OK,
         1,
         1,
         kCallTimeoutMs,
         false},
        {"truncated", {restore_fault("truncated")}, Outcome::Adopted, DCS_OK, 1, 1},
        {"non_json", {restore_fault("non_json")}, Outcome::Adopted, DCS_OK, 1, 1},
        {"oversized", {restore_fault("oversized")}, Outcome::Adopted, DCS_OK, 1, 1},
        {"close_after + ListRestoreRecords 500",
         {restore_fault("close_after"), listing_500},
         Outcome::Adopted,
         DCS_OK,
         1,
         1},
        hang,
        late_beyond,
        {"close_after, listed 1 s late (window 2 s)",
         {restore_fault("close_after")},
         Outcome::Adopted,
         DCS_OK,
         1,
         1,
         kCallTimeoutMs,
         true,
         listed_late(1000)},
        // Ambiguous failures of a request that in truth did nothing: the library cannot
        // tell, so it says so instead of risking a second restore.
        {"close_after, listed 4 s late (window 2 s)",
         {restore_fault("close_after")},
         Outcome::Unresolved,
         DCS_E_TRANSPORT,
         1,
         1,
         kCallTimeoutMs,
         true,
         listed_late(4000)},
        {"status 500",
         {restore_status_fault(500, "DCS.5000", "internal error")},
         Outcome::Unresolved,
         DCS_E_SERVER,
         0,
         1},
        {"html_502", {restore_fault("html_502")}, Outcome::Unresolved, DCS_E_SERVER, 0, 1},
        {"close_before",
         {restore_fault("close_before")},
         Outcome::Unresolved,
         DCS_E_TRANSPORT,
         0,
         1},
        {"close_before, fresh connection",
         {restore_fault("close_before")},
         Outcome::Unresolved,
         DCS_E_TRANSPORT,
         0,
         1,
         kCallTimeoutMs,
         false},
    };
}

struct RowResult {
    std::string name;
    Outcome outcome = Outcome::Refused;
    dcs_status status = DCS_OK;
    int request_sent = -1;
    bool adopted = false;
    int64_t restores_started = -1;
    int64_t restore_posts = -1;
    int64_t elapsed_ms = 0;
    bool record_found = false;
};

RowResult run(const Row& row) {
    Sandbox sandbox;
    ClientSettings settings;
    settings.reconcile_window_ms = kReconcileWindowMs;
    settings.attempt_timeout_ms = kAttemptTimeoutMs;
    auto client = sandbox.client(settings);
    if (row.warm_connection) {
        dcs_instance* instance = nullptr;
        REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance,
                                  nullptr) == DCS_OK);
        dcs_instance_free(instance);
    }
    admin().set_timings(row.timings);
    std::vector<std::string> fault_ids;
    for (FaultSpec fault : row.faults) {
        fault.instance_id = sandbox.instance_id;
        fault_ids.push_back(admin().add_fault(fault));
    }

    RowResult result;
    result.name = row.name;
    result.outcome = row.outcome;
    CallSettings call_settings;
    call_settings.timeout_ms = row.call_timeout_ms;
    auto call = make_call_options(call_settings);
    dcs_restore_outcome* raw = nullptr;
    dcs_error* err = nullptr;
    Stopwatch watch;
    result.status =
        dcs_restore_instance_ext(client.get(), sandbox.instance_id.c_str(),
                                 sandbox.backup_id.c_str(), "fault matrix", call.get(), &raw, &err);
    result.elapsed_ms = watch.elapsed_ms();
    std::unique_ptr<dcs_restore_outcome, decltype(&dcs_restore_outcome_free)> outcome(
        raw, dcs_restore_outcome_free);
    Failure failure = take_error(err);
    result.request_sent = failure.request_sent;

    if (row.settle_ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(row.settle_ms));
    }
    result.restores_started = admin().restores_started(sandbox.instance_id);
    result.restore_posts = admin().restore_posts(sandbox.instance_id);

    CAPTURE(row.name);
    CAPTURE(failure.message);
    for (const std::string& id : fault_ids) {
        CHECK_MESSAGE(admin().fault_fired(id) >= 1, "the injected fault never fired");
    }
    CHECK(result.status == row.expected_status);
    CHECK(result.restores_started == row.expected_restores);
    CHECK(result.restore_posts == row.expected_posts);
    CHECK(result.elapsed_ms <= row.call_timeout_ms + kDeadlineSlackMs);
    if (result.status == DCS_OK) {
        REQUIRE(outcome != nullptr);
        result.adopted = dcs_restore_outcome_adopted(outcome.get()) == 1;
        CHECK(result.adopted == (row.outcome == Outcome::Adopted));
        // The id names the one restore the instance has (once it is listed).
        admin().set_timings(TimingsPatch{{}, {}, {}, {}, {}, 0});
        dcs_restore_list* list = nullptr;
        REQUIRE(dcs_list_restores(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr,
                                  &list, nullptr) == DCS_OK);
        RestoreListPtr owned(list);
        REQUIRE(dcs_restore_list_count(list) == 1);
        const dcs_restore_record* only = dcs_restore_list_at(list, 0);
        result.record_found = std::string(dcs_restore_record_restore_id(only)) ==
                              dcs_restore_outcome_restore_id(outcome.get());
        CHECK(result.record_found);
        CHECK(std::string(dcs_restore_record_backup_id(only)) == sandbox.backup_id);
    } else {
        CHECK(outcome == nullptr);
        CHECK_FALSE(failure.message.empty());
        if (row.outcome == Outcome::Unresolved) {
            CHECK(failure.request_sent == DCS_SENT_MAYBE);
            CHECK(failure.message.rfind("unresolved: the restore may have started", 0) == 0);
        }
        // A restore may have started: the library must never claim "not sent".
        CHECK(failure.request_sent != DCS_SENT_NO);
    }
    return result;
}

void print_table(const std::vector<RowResult>& results) {
    std::printf("\nRestoreInstance fault matrix (one fault, then a healthy service)\n");
    std::printf("%-52s %-10s %-22s %-6s %8s %6s %7s\n", "fault", "expected", "result", "sent",
                "started", "posts", "ms");
    for (const RowResult& r : results) {
        const char* sent = r.request_sent == DCS_SENT_NO      ? "no"
                           : r.request_sent == DCS_SENT_YES   ? "yes"
                           : r.request_sent == DCS_SENT_MAYBE ? "maybe"
                                                              : "-";
        std::string got = r.status == DCS_OK ? (r.adopted ? "ok, adopted" : "ok, answered")
                                             : dcs_status_str(r.status);
        if (r.status == DCS_OK && !r.record_found) {
            got += ", NO RECORD";
        }
        std::printf("%-52s %-10s %-22s %-6s %8lld %6lld %7lld\n", r.name.c_str(),
                    outcome_name(r.outcome), got.c_str(), sent,
                    static_cast<long long>(r.restores_started),
                    static_cast<long long>(r.restore_posts), static_cast<long long>(r.elapsed_ms));
    }
    std::fflush(stdout);
}

}  // namespace

TEST_CASE(
    "fault matrix: every injected fault on RestoreInstance is one restore, adopted or unresolved") {
    std::vector<RowResult> results;
    for (const Row& row : matrix()) {
        results.push_back(run(row));
    }
    print_table(results);
}
