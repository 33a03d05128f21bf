// The fault matrix: every fault the emulator can inject, hitting RestoreInstance once, so the
// retry (if any) meets a healthy service. Whatever happens, a call of dcs_restore_instance
// must start at most one restore: it returns the id of a record that exists and exactly one
// restore was started, or it fails clearly and (only where the fault kept the request from
// being carried out) none was. No call may outlive its deadline.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

constexpr int64_t kCallTimeoutMs = 20000;
constexpr int64_t kDeadlineSlackMs = 200;

struct Row {
    const char* name;
    std::vector<FaultSpec> faults;
    int64_t call_timeout_ms;
    dcs_status expected_status;
    int64_t expected_restores;
    // How long after the call to look at the counter again: a fault may carry the request
    // out late (a delay), and a late start must be caught.
    int64_t settle_ms;
    // Send the restore on a kept-alive connection (where libcurl itself may silently resend
    // a request whose connection died) or on a fresh one (where it never does).
    bool warm_connection = true;
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

std::vector<Row> matrix() {
    FaultSpec delay_within = restore_fault("delay");
    delay_within.delay_ms = 500;
    FaultSpec delay_beyond = restore_fault("delay");
    delay_beyond.delay_ms = 2500;
    FaultSpec throttle = restore_fault("throttle");
    throttle.retry_after = 1;
    FaultSpec listing_500;
    listing_500.operation = "ListRestoreRecords";
    listing_500.kind = "status";
    listing_500.count = 1;
    listing_500.status = 500;
    listing_500.body = "{\"error_code\":\"DCS.5000\",\"error_msg\":\"listing failed\"}";

    return {
        {"status 500",
         {restore_status_fault(500, "DCS.5000", "internal error")},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0},
        {"status 400 DCS.4097 (restoring)",
         {restore_status_fault(400, "DCS.4097", "the instance is restoring.")},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0},
        {"status 400 DCS.4096 (backuping)",
         {restore_status_fault(400, "DCS.4096", "the instance is backuping.")},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0},
        {"delay 500 ms, within the deadline", {delay_within}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"delay 2500 ms, beyond a 1000 ms deadline", {delay_beyond}, 1000, DCS_E_TIMEOUT, 0, 2000},
        {"close_before", {restore_fault("close_before")}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"close_after", {restore_fault("close_after")}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"truncated", {restore_fault("truncated")}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"non_json", {restore_fault("non_json")}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"oversized", {restore_fault("oversized")}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"html_502", {restore_fault("html_502")}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"throttle, Retry-After 1", {throttle}, kCallTimeoutMs, DCS_OK, 1, 0},
        {"close_after + ListRestoreRecords 500",
         {restore_fault("close_after"), listing_500},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0},
        {"close_before, fresh connection",
         {restore_fault("close_before")},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0,
         false},
        {"close_after, fresh connection",
         {restore_fault("close_after")},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0,
         false},
        {"truncated, fresh connection",
         {restore_fault("truncated")},
         kCallTimeoutMs,
         DCS_OK,
         1,
         0,
         false},
    };
}

struct RowResult {
    std::string name;
    dcs_status status = DCS_OK;
    int request_sent = -1;
    int64_t restores_started = -1;
    size_t restore_posts = 0;
    size_t listings = 0;
    int64_t elapsed_ms = 0;
    bool record_found = false;
};

RowResult run(const Row& row) {
    Sandbox sandbox;
    auto client = sandbox.client();
    if (row.warm_connection) {
        dcs_instance* instance = nullptr;
        REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &instance,
                                  nullptr) == DCS_OK);
        dcs_instance_free(instance);
        admin().clear_requests();
    }
    for (const FaultSpec& fault : row.faults) {
        admin().add_fault(fault);
    }

    RowResult result;
    result.name = row.name;
    auto call = make_call_options(CallSettings{row.call_timeout_ms, nullptr, 0, false});
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    Stopwatch watch;
    result.status =
        dcs_restore_instance(client.get(), sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             "fault matrix", call.get(), &raw_id, &err);
    result.elapsed_ms = watch.elapsed_ms();
    StringPtr restore_id(raw_id);
    Failure failure = take_error(err);
    result.request_sent = failure.request_sent;

    if (row.settle_ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(row.settle_ms));
    }
    result.restores_started = admin().restores_started(sandbox.instance_id);
    for (const auto& r : admin().requests()) {
        result.restore_posts += r.operation == "RestoreInstance" ? 1 : 0;
        result.listings += r.operation == "ListRestoreRecords" ? 1 : 0;
    }

    CAPTURE(row.name);
    CAPTURE(failure.message);
    CHECK(result.status == row.expected_status);
    CHECK(result.restores_started == row.expected_restores);
    CHECK(result.elapsed_ms <= row.call_timeout_ms + kDeadlineSlackMs);
    if (result.status == DCS_OK) {
        REQUIRE(restore_id != nullptr);
        // The id names the one restore the instance has.
        dcs_restore_list* list = nullptr;
        REQUIRE(dcs_list_restores(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr,
                                  &list, nullptr) == DCS_OK);
        RestoreListPtr owned(list);
        REQUIRE(dcs_restore_list_count(list) == 1);
        const dcs_restore_record* only = dcs_restore_list_at(list, 0);
        result.record_found = std::string(dcs_restore_record_restore_id(only)) == restore_id.get();
        CHECK(result.record_found);
        CHECK(std::string(dcs_restore_record_backup_id(only)) == sandbox.backup_id);
    } else {
        CHECK(restore_id == nullptr);
        CHECK_FALSE(failure.message.empty());
        // Nothing started, yet the library cannot know: it must not claim "not sent".
        CHECK(failure.request_sent != DCS_SENT_NO);
    }
    return result;
}

void print_table(const std::vector<RowResult>& results) {
    std::printf("\nRestoreInstance fault matrix (one fault, then a healthy service)\n");
    std::printf("%-40s %-16s %-6s %8s %6s %9s %8s\n", "fault", "result", "sent", "started", "posts",
                "listings", "ms");
    for (const RowResult& r : results) {
        const char* sent = r.request_sent == DCS_SENT_NO      ? "no"
                           : r.request_sent == DCS_SENT_YES   ? "yes"
                           : r.request_sent == DCS_SENT_MAYBE ? "maybe"
                                                              : "-";
        std::string outcome = r.status == DCS_OK
                                  ? (r.record_found ? "ok, record found" : "ok, NO RECORD")
                                  : dcs_status_str(r.status);
        std::printf("%-40s %-16s %-6s %8lld %6zu %9zu %8lld\n", r.name.c_str(), outcome.c_str(),
                    sent, static_cast<long long>(r.restores_started), r.restore_posts, r.listings,
                    static_cast<long long>(r.elapsed_ms));
    }
    std::fflush(stdout);
}

}  // namespace

TEST_CASE("fault matrix: every injected fault on RestoreInstance starts at most one restore") {
    std::vector<RowResult> results;
    for (const Row& row : matrix()) {
        results.push_back(run(row));
    }
    print_table(results);
}
