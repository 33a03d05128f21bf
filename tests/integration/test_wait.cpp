// Waiting for a restore: progress to success, a failed restore, the instance coming back,
// a wait that cannot end before its deadline, polls around the predicted end, and finding
// one record in a history larger than the response cap (counted from the emulator's log).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
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

namespace {

// The ListRestoreRecords requests the emulator received for `instance_id`, as it logged them.
std::vector<LoggedRequest> listings_of(const std::string& instance_id) {
    std::vector<LoggedRequest> out;
    for (auto& entry : admin().requests()) {
        if (entry.operation == "ListRestoreRecords" &&
            entry.path.find(instance_id) != std::string::npos) {
            out.push_back(std::move(entry));
        }
    }
    return out;
}

int64_t wall_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Far smaller than a page of 1,000 records (about 400 KB), far larger than a few.
constexpr size_t kSmallCap = 64 * 1024;
constexpr int kHistory = 2000;

}  // namespace

TEST_CASE("a wait over 2,000 earlier records: every listing is filtered, one page, under the cap") {
    Sandbox sandbox;
    admin().seed_restores(sandbox.instance_id, kHistory, 2LL * 3600 * 1000);
    admin().set_restore_timings(sandbox.instance_id, 100, 2500);
    ClientSettings settings;
    settings.max_response_bytes = kSmallCap;
    auto client = sandbox.client(settings);

    // The history really is larger than the cap: the whole listing cannot be read.
    dcs_restore_list* all = nullptr;
    dcs_error* list_err = nullptr;
    CHECK(dcs_list_restores(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr, &all,
                            &list_err) == DCS_E_BAD_RESPONSE);
    Failure too_large = take_error(list_err);
    CHECK(too_large.message.find("limit") != std::string::npos);

    auto restore_id = start_restore(client.get(), sandbox);
    admin().clear_requests();
    Progress progress;
    auto wait = wait_options(500, 2000, &progress);
    auto call = make_call_options(CallSettings{20000, nullptr, 0, false});
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(),
                                             restore_id.get(), wait.get(), call.get(), &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreRecordPtr record(raw);

    auto listings = listings_of(sandbox.instance_id);
    MESSAGE(listings.size() << " listings for " << progress.statuses.size() << " polls");
    // One listing per poll, plus at most the windows of the first search (it finds the
    // record in the first: the last hour).
    CHECK(listings.size() == progress.statuses.size());
    CHECK(listings.size() <= 6);
    for (const auto& listing : listings) {
        CAPTURE(listing.query);
        CHECK(listing.status == 200);
        CHECK(listing.query.find("begin_time=") != std::string::npos);
        CHECK(listing.query.find("offset=0") != std::string::npos);  // never a second page
    }
}

TEST_CASE("a record older than the hour, with a history over the cap: a clear error at once") {
    Sandbox sandbox;
    admin().seed_restores(sandbox.instance_id, kHistory, 2LL * 3600 * 1000);
    // The id of a record from yesterday, read with a client whose cap the pages fit under.
    std::string old_id;
    {
        auto roomy = sandbox.client();
        dcs_restore_list* raw_list = nullptr;
        REQUIRE(dcs_list_restores(roomy.get(), sandbox.instance_id.c_str(), nullptr, nullptr,
                                  &raw_list, nullptr) == DCS_OK);
        RestoreListPtr list(raw_list);
        REQUIRE(dcs_restore_list_count(raw_list) == static_cast<size_t>(kHistory));
        old_id = dcs_restore_record_restore_id(dcs_restore_list_at(raw_list, kHistory - 1));
    }
    ClientSettings settings;
    settings.max_response_bytes = kSmallCap;
    auto client = sandbox.client(settings);
    admin().clear_requests();
    auto wait = wait_options(50, 100, nullptr);
    auto call = make_call_options(CallSettings{30000, nullptr, 0, false});
    dcs_error* err = nullptr;
    Stopwatch watch;
    dcs_status status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(),
                                             old_id.c_str(), wait.get(), call.get(), nullptr, &err);
    int64_t elapsed = watch.elapsed_ms();
    Failure f = take_error(err);
    MESSAGE("ended after " << elapsed << " ms: " << f.message);
    CHECK(status == DCS_E_BAD_RESPONSE);
    CHECK(f.message.find("limit") != std::string::npos);
    CHECK(f.message.find(old_id) != std::string::npos);
    CHECK(elapsed < 5000);  // not the 30 s deadline
    // The last hour (nothing), then the last day (over the cap): two listings, not a spin.
    // The emulator logs the second once it notices the client hung up mid-answer.
    auto logged = listings_of(sandbox.instance_id);
    for (Stopwatch settle; logged.size() < 2 && settle.elapsed_ms() < 3000;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        logged = listings_of(sandbox.instance_id);
    }
    CHECK(logged.size() == 2);
}

TEST_CASE("get_restore of an old record pages through time windows and stops once found") {
    Sandbox sandbox;
    admin().seed_restores(sandbox.instance_id, kHistory, 2LL * 3600 * 1000);
    auto client = sandbox.client();
    dcs_restore_list* raw_list = nullptr;
    REQUIRE(dcs_list_restores(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr,
                              &raw_list, nullptr) == DCS_OK);
    RestoreListPtr list(raw_list);
    // The newest of yesterday's: in the second window, on its first page.
    std::string id = dcs_restore_record_restore_id(dcs_restore_list_at(raw_list, 0));
    admin().clear_requests();
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_get_restore(client.get(), sandbox.instance_id.c_str(), id.c_str(), nullptr, &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreRecordPtr record(raw);
    CHECK(std::string(dcs_restore_record_restore_id(raw)) == id);
    auto listings = listings_of(sandbox.instance_id);
    REQUIRE(listings.size() == 2);
    CHECK(listings[0].query.find("end_time=") == std::string::npos);  // the last hour
    CHECK(listings[1].query.find("end_time=") != std::string::npos);  // the day before it

    // An id that is nowhere: every window once, then NOT_FOUND.
    admin().clear_requests();
    err = nullptr;
    CHECK(dcs_get_restore(client.get(), sandbox.instance_id.c_str(),
                          "00000000-0000-0000-0000-00000000abcd", nullptr, &raw,
                          &err) == DCS_E_NOT_FOUND);
    take_error(err);
    // The last hour, the day (1,320 records: two pages), the month (680), older (none).
    CHECK(listings_of(sandbox.instance_id).size() == 5);
}

TEST_CASE("the wait polls around the predicted end: few polls, the end noticed within 1 s") {
    Sandbox sandbox;
    admin().set_restore_timings(sandbox.instance_id, 300, 4000);
    auto client = sandbox.client();
    auto restore_id = start_restore(client.get(), sandbox);
    admin().clear_requests();
    Progress progress;
    // The library's defaults but the first poll: 1 s instead of 5 s, for a 4.3 s restore.
    auto wait = wait_options(1000, 30000, &progress);
    auto call = make_call_options(CallSettings{20000, nullptr, 0, false});
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(),
                                             restore_id.get(), wait.get(), call.get(), &raw, &err);
    int64_t returned_at = wall_now_ms();
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreRecordPtr record(raw);
    int64_t late = returned_at - dcs_restore_record_updated_at_ms(raw);
    auto listings = listings_of(sandbox.instance_id);
    MESSAGE("noticed " << late << " ms after the end, " << listings.size() << " listings");
    // Growing intervals from 1 s would look at 1, 2.5, 4.75 and 8.1 s: 4 polls, 3.8 s late.
    CHECK(listings.size() <= 3);
    CHECK(late >= 0);
    CHECK(late < 1500);  // the target is 1 s; the slack is for a loaded CI machine
}

namespace {

// A wait that must succeed: its final record and how long the call took.
struct TimedWait {
    RestoreRecordPtr record;
    int64_t took_ms = 0;
};

TimedWait timed_wait(dcs_client* client, const Sandbox& sandbox, const char* restore_id,
                     int64_t poll_ms) {
    auto wait = wait_options(poll_ms, 30000, nullptr);
    auto call = make_call_options(CallSettings{20000, nullptr, 0, false});
    dcs_restore_record* raw = nullptr;
    dcs_error* err = nullptr;
    Stopwatch clock;
    dcs_status status = dcs_wait_for_restore(client, sandbox.instance_id.c_str(), restore_id,
                                             wait.get(), call.get(), &raw, &err);
    TimedWait result{RestoreRecordPtr(raw), clock.elapsed_ms()};
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    return result;
}

}  // namespace

TEST_CASE("a wait on a restore this client did not start looks at once, not after an interval") {
    Sandbox sandbox;
    admin().set_restore_timings(sandbox.instance_id, 50, 200);
    auto starter = sandbox.client();
    auto restore_id = start_restore(starter.get(), sandbox);
    // Finished (after 0.25 s of emulator time) before anyone waits: as a later process
    // (dcsctl wait, a Terraform refresh) finds it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    admin().clear_requests();
    auto waiter = sandbox.client();  // a client that never saw this restore start
    TimedWait waited = timed_wait(waiter.get(), sandbox, restore_id.get(), 5000);
    CHECK(std::string(dcs_restore_record_status(waited.record.get())) == "succeed");
    // One listing, and no 5 s interval first (the slack is for a loaded CI machine).
    CHECK(listings_of(sandbox.instance_id).size() == 1);
    CHECK(waited.took_ms < 2500);
}

TEST_CASE("a wait right after this client started the restore: the first look after an interval") {
    Sandbox sandbox;
    admin().set_restore_timings(sandbox.instance_id, 50, 200);
    auto client = sandbox.client();
    auto restore_id = start_restore(client.get(), sandbox);
    admin().clear_requests();
    // The restore ends within 0.3 s, but this client knows it has only just started it: it
    // does not spend a request before the interval (1.5 s here) has passed.
    TimedWait waited = timed_wait(client.get(), sandbox, restore_id.get(), 1500);
    CHECK(listings_of(sandbox.instance_id).size() == 1);
    CHECK(waited.took_ms >= 1300);  // the interval counts from the start, a little before the wait
}
