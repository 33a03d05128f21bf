// Every operation against the emulator: restore records (many of them), backups (list,
// create, delete), the instance, and a restore that really puts the data back.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

WaitOptionsPtr quick_wait() {
    dcs_wait_options* raw = nullptr;
    REQUIRE(dcs_wait_options_new(&raw, nullptr) == DCS_OK);
    WaitOptionsPtr wait(raw);
    REQUIRE(dcs_wait_options_set_poll_interval_ms(wait.get(), 20, nullptr) == DCS_OK);
    REQUIRE(dcs_wait_options_set_max_poll_interval_ms(wait.get(), 50, nullptr) == DCS_OK);
    return wait;
}

// Starts a restore and waits for it to succeed; returns its id.
std::string restore_and_wait(dcs_client* client, const Sandbox& sandbox,
                             const std::string& remark) {
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_restore_instance(client, sandbox.instance_id.c_str(), sandbox.backup_id.c_str(),
                             remark.c_str(), nullptr, &raw_id, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    StringPtr id(raw_id);
    auto wait = quick_wait();
    auto call = make_call_options(CallSettings{10000, nullptr, 0, false});
    status = dcs_wait_for_restore(client, sandbox.instance_id.c_str(), id.get(), wait.get(),
                                  call.get(), nullptr, &err);
    f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    return id.get();
}

BackupListPtr list_backups(dcs_client* client, const std::string& instance_id) {
    dcs_backup_list* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_list_backups(client, instance_id.c_str(), nullptr, nullptr, &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    return BackupListPtr(raw);
}

const dcs_backup_record* find_backup(const dcs_backup_list* list, const std::string& id) {
    for (size_t i = 0; i < dcs_backup_list_count(list); ++i) {
        if (dcs_backup_list_at(list, i) != nullptr &&
            id == dcs_backup_record_backup_id(dcs_backup_list_at(list, i))) {
            return dcs_backup_list_at(list, i);
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("25 restores: all listed, newest first, and each found by id") {
    Sandbox sandbox;
    TimingsPatch quick;
    quick.restore_waiting_ms = 1;
    quick.restore_running_ms = 5;
    admin().set_timings(quick);
    auto client = sandbox.client();

    constexpr int kRestores = 25;
    std::vector<std::string> ids;
    for (int i = 0; i < kRestores; ++i) {
        ids.push_back(restore_and_wait(client.get(), sandbox, "restore " + std::to_string(i)));
    }
    CHECK(admin().restores_started(sandbox.instance_id) == kRestores);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == kRestores);

    dcs_restore_list* raw = nullptr;
    dcs_error* err = nullptr;
    dcs_status status =
        dcs_list_restores(client.get(), sandbox.instance_id.c_str(), nullptr, nullptr, &raw, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreListPtr list(raw);
    REQUIRE(dcs_restore_list_count(list.get()) == kRestores);
    CHECK(dcs_restore_list_at(list.get(), kRestores) == nullptr);
    std::set<std::string> listed;
    for (size_t i = 0; i < kRestores; ++i) {
        const dcs_restore_record* r = dcs_restore_list_at(list.get(), i);
        listed.insert(dcs_restore_record_restore_id(r));
        CHECK(std::string(dcs_restore_record_status(r)) == "succeed");
        CHECK(dcs_restore_record_progress_percent(r) == doctest::Approx(100.0));
        CHECK(std::string(dcs_restore_record_backup_id(r)) == sandbox.backup_id);
        CHECK(std::string(dcs_restore_record_error_code(r)).empty());
    }
    CHECK(listed == std::set<std::string>(ids.begin(), ids.end()));
    // Newest first, as the service lists them.
    CHECK(std::string(dcs_restore_record_restore_id(dcs_restore_list_at(list.get(), 0))) ==
          ids.back());

    // get_restore finds one in the middle of many.
    dcs_restore_record* record = nullptr;
    status = dcs_get_restore(client.get(), sandbox.instance_id.c_str(), ids[7].c_str(), nullptr,
                             &record, &err);
    f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    RestoreRecordPtr owned(record);
    CHECK(std::string(dcs_restore_record_restore_id(record)) == ids[7]);
    CHECK(std::string(dcs_restore_record_restore_remark(record)) == "restore 7");
    CHECK_FALSE(std::string(dcs_restore_record_created_at(record)).empty());
    CHECK_FALSE(std::string(dcs_restore_record_restore_name(record)).empty());

    // And reports an id the instance does not have as not found.
    status = dcs_get_restore(client.get(), sandbox.instance_id.c_str(),
                             "00000000-0000-0000-0000-000000000000", nullptr, &record, &err);
    f = take_error(err);
    CHECK(status == DCS_E_NOT_FOUND);
}

TEST_CASE("time filters select restore records") {
    Sandbox sandbox;
    auto client = sandbox.client();
    restore_and_wait(client.get(), sandbox, "filtered");
    auto count_with = [&](const char* begin, const char* end) {
        dcs_list_options* raw_filter = nullptr;
        REQUIRE(dcs_list_options_new(&raw_filter, nullptr) == DCS_OK);
        ListOptionsPtr filter(raw_filter);
        REQUIRE(dcs_list_options_set_begin_time(filter.get(), begin, nullptr) == DCS_OK);
        REQUIRE(dcs_list_options_set_end_time(filter.get(), end, nullptr) == DCS_OK);
        dcs_restore_list* raw = nullptr;
        REQUIRE(dcs_list_restores(client.get(), sandbox.instance_id.c_str(), filter.get(), nullptr,
                                  &raw, nullptr) == DCS_OK);
        RestoreListPtr list(raw);
        return dcs_restore_list_count(list.get());
    };
    CHECK(count_with("20000101000000", "20991231235959") == 1);
    CHECK(count_with("20980101000000", "20991231235959") == 0);
    CHECK(count_with("20000101000000", "20000102000000") == 0);
}

TEST_CASE("list backups: every record with its fields") {
    Sandbox sandbox;
    BackupSpec failed;
    failed.status = "failed";
    failed.remark = "a failed one";
    std::string failed_id = admin().create_backup(sandbox.instance_id, failed);
    BackupSpec unrestorable;
    unrestorable.is_support_restore = "FALSE";
    std::string unrestorable_id = admin().create_backup(sandbox.instance_id, unrestorable);
    auto client = sandbox.client();

    auto list = list_backups(client.get(), sandbox.instance_id);
    REQUIRE(dcs_backup_list_count(list.get()) == 3);
    CHECK(dcs_backup_list_at(list.get(), 3) == nullptr);

    const dcs_backup_record* good = find_backup(list.get(), sandbox.backup_id);
    REQUIRE(good != nullptr);
    CHECK(std::string(dcs_backup_record_instance_id(good)) == sandbox.instance_id);
    CHECK(std::string(dcs_backup_record_status(good)) == "succeed");
    CHECK(std::string(dcs_backup_record_is_support_restore(good)) == "TRUE");
    CHECK(std::string(dcs_backup_record_backup_format(good)) == "rdb");
    CHECK(dcs_backup_record_size(good) >= 0);
    CHECK_FALSE(std::string(dcs_backup_record_backup_name(good)).empty());
    CHECK_FALSE(std::string(dcs_backup_record_created_at(good)).empty());
    CHECK(dcs_backup_record_restorable(good) == 1);
    // The emulator dates its backups now; the epoch value is the string's, parsed once.
    CHECK(dcs_backup_record_created_at_ms(good) > 1700000000000);
    CHECK(dcs_backup_record_progress_percent(good) == 100.0);

    const dcs_backup_record* bad = find_backup(list.get(), failed_id);
    REQUIRE(bad != nullptr);
    CHECK(std::string(dcs_backup_record_status(bad)) == "failed");
    CHECK(std::string(dcs_backup_record_remark(bad)) == "a failed one");

    const dcs_backup_record* no_restore = find_backup(list.get(), unrestorable_id);
    REQUIRE(no_restore != nullptr);
    CHECK(std::string(dcs_backup_record_is_support_restore(no_restore)) == "FALSE");
    CHECK(dcs_backup_record_restorable(no_restore) == 0);
    CHECK(dcs_backup_record_restorable(nullptr) == 0);
    CHECK(dcs_backup_record_created_at_ms(nullptr) == -1);
}

TEST_CASE("create a backup, see it succeed, delete it") {
    Sandbox sandbox;
    auto client = sandbox.client();
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_create_backup(client.get(), sandbox.instance_id.c_str(), "nightly",
                                          "rdb", nullptr, &raw_id, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    StringPtr backup_id(raw_id);
    CHECK(admin().backups_started(sandbox.instance_id) == 1);

    // Fast timings finish a backup in well under a second.
    std::string backup_status;
    for (int i = 0; i < 100 && backup_status != "succeed"; ++i) {
        auto list = list_backups(client.get(), sandbox.instance_id);
        const dcs_backup_record* b = find_backup(list.get(), backup_id.get());
        REQUIRE(b != nullptr);
        backup_status = dcs_backup_record_status(b);
        CHECK(std::string(dcs_backup_record_remark(b)) == "nightly");
        CHECK(std::string(dcs_backup_record_backup_type(b)) == "manual");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(backup_status == "succeed");

    status = dcs_delete_backup(client.get(), sandbox.instance_id.c_str(), backup_id.get(), nullptr,
                               &err);
    f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    auto after = list_backups(client.get(), sandbox.instance_id);
    CHECK(find_backup(after.get(), backup_id.get()) == nullptr);
    CHECK(find_backup(after.get(), sandbox.backup_id) != nullptr);  // only that one went
}

TEST_CASE("show instance reports the instance's current status") {
    Sandbox sandbox(InstanceSpec{"ctest-instance", "cluster", "RUNNING"});
    auto client = sandbox.client();
    dcs_instance* raw = nullptr;
    REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &raw, nullptr) ==
            DCS_OK);
    InstancePtr instance(raw);
    CHECK(std::string(dcs_instance_name(raw)) == "ctest-instance");
    CHECK(std::string(dcs_instance_cache_mode(raw)) == "cluster");
    CHECK(std::string(dcs_instance_status(raw)) == "RUNNING");

    admin().patch_instance(sandbox.instance_id, std::string("FROZEN"), std::nullopt);
    REQUIRE(dcs_show_instance(client.get(), sandbox.instance_id.c_str(), nullptr, &raw, nullptr) ==
            DCS_OK);
    instance.reset(raw);
    CHECK(std::string(dcs_instance_status(raw)) == "FROZEN");
}

TEST_CASE("a restore really puts the backed-up data back") {
    Sandbox sandbox;
    admin().put_data(sandbox.instance_id, {{"greeting", "hello"}, {"counter", "1"}});
    std::string backup_id = admin().create_backup(sandbox.instance_id);
    admin().put_data(sandbox.instance_id, {{"counter", "2"}, {"scratch", "written after"}});
    REQUIRE(admin().get_data(sandbox.instance_id).size() == 3);

    auto client = sandbox.client();
    char* raw_id = nullptr;
    dcs_error* err = nullptr;
    dcs_status status = dcs_restore_instance(client.get(), sandbox.instance_id.c_str(),
                                             backup_id.c_str(), nullptr, nullptr, &raw_id, &err);
    Failure f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);
    StringPtr restore_id(raw_id);
    auto wait = quick_wait();
    status = dcs_wait_for_restore(client.get(), sandbox.instance_id.c_str(), restore_id.get(),
                                  wait.get(), nullptr, nullptr, &err);
    f = take_error(err);
    REQUIRE_MESSAGE(status == DCS_OK, f.message);

    const std::map<std::string, std::string> expected = {{"greeting", "hello"}, {"counter", "1"}};
    CHECK(admin().get_data(sandbox.instance_id) == expected);
}
