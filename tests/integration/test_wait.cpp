// Waiting for a restore: progress to success, a failed restore, the instance coming back,
// and a wait that cannot end before its deadline.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

struct Progress {
    std::vector<double> percents;
    std::vector<std::string> statuses;
};

void on_progress(void* user_data, const dcs_restore_record* record) {
    auto* progress = static_cast<Progress*>(user_data);
    progress->percents.push_back(dcs_restore_record_progress_percent(record));
    progress->statuses.push_back(dcs_restore_record_status(record));
}

WaitOptionsPtr wait_options(int64_t poll_ms, int64_t max_poll_ms, Progress* progress,
                            bool wait_for_instance = false) {
    dcs_wait_options* raw = nullptr;
    REQUIRE(dcs_wait_options_new(&raw, nullptr) == DCS_OK);
    WaitOptionsPtr wait(raw);
    REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), poll_ms, nullptr) == DCS_OK);
    REQUIRE(dcs_wait_options_set_max_poll_interval_ms(wait.get(), max_poll_ms, nullptr) == DCS_OK);
    if (progress != nullptr) {
        REQUIRE(dcs_wait_options_set_progress_callback(wait.get(), on_progress, progress,
                                                       nullptr) == DCS_OK);
    }
    if (wait_for_instance) {
        REQUIRE(dcs_wait_options_set_wait_for_instance(wait.get(), 1, nullptr) == DCS_OK);
    }
    return wait;
}

StringPtr start_restore(dcs_client* client, const Sandbox& sandbox) {
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client, sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             nullptr, nullptr, &raw_id, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    return StringPtr(raw_id);
}

}  // namespace

TEST_CASE("waiting to success: progress never goes back and ends at 100") {
    Sandbox sandbox;
    TimingsPatch visible;
    visible.restore_waiting_ms = 100;
    visible.restore_running_ms = 800;
    admin().set_timings(visible);
    auto client = sandbox.client();
    auto restore_id = start_restore(client.get(), sandbox);

    Progress progress;
    auto wait = wait_options(50, 100, &progress);
    auto call = make_call_options(CallSettings{10000, nullptr, 0, false});
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(),
                                             restore_id.get(), wait.get(), call.get(), &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreRecordPtr record(raw);
    CHECK(std::string(dcs_restore_record_restore_id(raw)) == restore_id.get());
    CHECK(std::string(dcs_restore_record_status(raw)) == "succeed");
    CHECK(dcs_restore_record_progress_percent(raw) == doctest::Approx(100.0));

    REQUIRE(progress.percents.size() >= 3);  // waiting, restoring..., succeed
    for (size_t i = 1; i < progress.percents.size(); ++i) {
        CAPTURE(i);
        CHECK(progress.percents[i] >= progress.percents[i - 1]);
    }
    CHECK(progress.percents.back() == doctest::Approx(100.0));
    CHECK(progress.statuses.back() == "succeed");
    CHECK(std::find(progress.statuses.begin(), progress.statuses.end(), "restoring") !=
          progress.statuses.end());
}

TEST_CASE("waiting on a failed restore: DCS_E_RESTORE_FAILED with the record's code") {
    Sandbox sandbox;
    TimingsPatch failing;
    failing.fail_restores = "dcs.08.0007";
    admin().set_timings(failing);
    auto client = sandbox.client();
    auto restore_id = start_restore(client.get(), sandbox);

    auto wait = wait_options(20, 50, nullptr);
    auto call = make_call_options(CallSettings{10000, nullptr, 0, false});
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(),
                                             restore_id.get(), wait.get(), call.get(), &raw, &err);
    Failure f = take_error(err);
    CHECK(status == DCS_E_RESTORE_FAILED);
    CHECK(f.status == DCS_E_RESTORE_FAILED);
    CHECK(f.service_code == "dcs.08.0007");
    CHECK_FALSE(f.service_message.empty());
    CHECK_FALSE(f.request_id.empty());
    CHECK(f.message.find("dcs.08.0007") != std::string::npos);
    CHECK(f.message.find(restore_id.get()) != std::string::npos);
    CHECK(raw == nullptr);  // outputs are written only on DCS_OK
}

TEST_CASE("wait_for_instance: returns once the instance runs again, read twice") {
    Sandbox sandbox;
    auto client = sandbox.client();
    auto restore_id = start_restore(client.get(), sandbox);
    auto wait = wait_options(20, 50, nullptr, true);
    auto call = make_call_options(CallSettings{10000, nullptr, 0, false});
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(), restore_id.get(),
                             wait.get(), call.get(), nullptr, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);

    // After the last listing came at least two ShowInstance reads.
    auto log = admin().requests();
    size_t last_listing = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].operation == "ListRestoreRecords") {
            last_listing = i;
        }
    }
    size_t shows_after = 0;
    for (size_t i = last_listing; i < log.size(); ++i) {
        shows_after += log[i].operation == "ShowInstance" ? 1 : 0;
    }
    CHECK(shows_after >= 2);
    dcs_instance* raw = nullptr;
    REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &raw, nullptr) ==
            DCS_OK);
    InstancePtr instance(raw);
    CHECK(std::string(dcs_instance_status(raw)) == "RUNNING");
}

TEST_CASE("a wait for a restore that never appears ends at its deadline") {
    Sandbox sandbox;
    auto client = sandbox.client();
    auto wait = wait_options(50, 100, nullptr);
    const int64_t timeout = 600;
    auto call = make_call_options(CallSettings{timeout, nullptr, 0, false});
    dcs_error* err = nullptr;
    Stopwatch watch;
    dcs_status status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(),
                                             "00000000-0000-0000-0000-00000000abcd", wait.get(),
                                             call.get(), nullptr, &err);
    int64_t elapsed = watch.elapsed_ms();
    Failure f = take_error(err);
    CHECK(status == DCS_E_TIMEOUT);
    CHECK(elapsed < timeout + 200);
    MESSAGE("gave up after " << elapsed << " ms: " << f.message);
}
