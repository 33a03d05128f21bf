// Choosing the backup by time, type and name (dcs_select_backup), and a restore's dry run
// (dcs_plan_restore), against the emulator. What the library chose is compared with the
// backups the test dated itself; what it asked for and what it never sent are read from the
// emulator's request log and counters.
#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "emulator_fixture.hpp"

using namespace dcs::test;

namespace {

using SelectorPtr =
    std::unique_ptr<dcs_backup_selector, FreeWith<dcs_backup_selector, dcs_backup_selector_free>>;
using BackupPtr =
    std::unique_ptr<dcs_backup_record, FreeWith<dcs_backup_record, dcs_backup_record_free>>;
using PlanPtr =
    std::unique_ptr<dcs_restore_plan, FreeWith<dcs_restore_plan, dcs_restore_plan_free>>;

// 2020-01-01T10:00:00Z, the "incident" of these tests; backups are dated around it.
constexpr int64_t kIncidentMs = 1577872800000;
constexpr int64_t kMinuteMs = 60000;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// RFC 3339 with milliseconds, as the admin API takes created_at.
std::string rfc3339(int64_t epoch_ms) {
    std::time_t seconds = epoch_ms / 1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
    std::string millis = std::to_string(1000 + epoch_ms % 1000).substr(1);
    return std::string(text) + "." + millis + "Z";
}

std::string backup_at(const Sandbox& sandbox, int64_t created_ms,
                      const std::string& status = "succeed", const std::string& support = "TRUE",
                      const std::string& type = "") {
    BackupSpec spec;
    spec.status = status;
    spec.is_support_restore = support;
    spec.created_at = rfc3339(created_ms);
    spec.backup_type = type;
    return admin().create_backup(sandbox.instance_id, spec);
}

SelectorPtr selector(int64_t before_ms = -1, const char* type = nullptr, const char* name = nullptr,
                     const char* backup_id = nullptr) {
    dcs_backup_selector* raw = nullptr;
    REQUIRE(dcs_backup_selector_new(&raw, nullptr) == DCS_OK);
    SelectorPtr sel(raw);
    REQUIRE(dcs_backup_selector_set_before_ms(sel.get(), before_ms, nullptr) == DCS_OK);
    REQUIRE(dcs_backup_selector_set_backup_type(sel.get(), type, nullptr) == DCS_OK);
    REQUIRE(dcs_backup_selector_set_backup_name(sel.get(), name, nullptr) == DCS_OK);
    REQUIRE(dcs_backup_selector_set_backup_id(sel.get(), backup_id, nullptr) == DCS_OK);
    return sel;
}

struct Selected {
    dcs_status status = DCS_OK;
    Failure failure;
    std::string backup_id;
    std::string backup_name;
};

Selected select(const Sandbox& sandbox, const dcs_backup_selector* sel) {
    auto client = sandbox.client();
    dcs_backup_record* raw = nullptr;
    dcs_error* err = nullptr;
    Selected out;
    out.status =
        dcs_select_backup(client.get(), sandbox.instance_id.c_str(), sel, nullptr, &raw, &err);
    BackupPtr backup(raw);
    out.failure = take_error(err);
    if (backup) {
        out.backup_id = dcs_backup_record_backup_id(backup.get());
        out.backup_name = dcs_backup_record_backup_name(backup.get());
    }
    return out;
}

std::vector<LoggedRequest> listings() {
    std::vector<LoggedRequest> found;
    for (auto& r : admin().requests()) {
        if (r.operation == "ListBackupRecords") {
            found.push_back(std::move(r));
        }
    }
    return found;
}

// Nothing was posted: no RestoreInstance (nor any other POST) reached the service.
void expect_nothing_posted(const Sandbox& sandbox) {
    for (const auto& r : admin().requests()) {
        CHECK_MESSAGE(r.method != "POST", r.operation);
    }
    CHECK(admin().restore_posts(sandbox.instance_id) == 0);
    CHECK(admin().restores_started(sandbox.instance_id) == 0);
}

}  // namespace

TEST_CASE("latest is the newest restorable backup, not a newer failed or unrestorable one") {
    Sandbox sandbox;  // its backup, made now, is restorable
    backup_at(sandbox, now_ms() - 60 * kMinuteMs);
    backup_at(sandbox, now_ms() + kMinuteMs, "failed");
    backup_at(sandbox, now_ms() + 2 * kMinuteMs, "succeed", "FALSE");
    admin().clear_requests();

    auto out = select(sandbox, nullptr);
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.backup_id == sandbox.backup_id);
    auto sent = listings();
    REQUIRE(sent.size() == 1);
    // "latest" asks for no time window.
    CHECK(sent[0].query.find("end_time") == std::string::npos);
    expect_nothing_posted(sandbox);
}

TEST_CASE("before T takes only backups created strictly before T, and T goes to the service") {
    Sandbox sandbox;
    const std::string early = backup_at(sandbox, kIncidentMs - 120 * kMinuteMs);
    const std::string just_before = backup_at(sandbox, kIncidentMs - 500);
    backup_at(sandbox, kIncidentMs);        // at T: not before it
    backup_at(sandbox, kIncidentMs + 400);  // the same second as T, which the service keeps
    backup_at(sandbox, kIncidentMs - 100, "failed");
    admin().clear_requests();

    auto out = select(sandbox, selector(kIncidentMs).get());
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.backup_id == just_before);
    auto sent = listings();
    REQUIRE(sent.size() == 1);
    CAPTURE(sent[0].query);
    CHECK(sent[0].query.find("end_time=20200101100000") != std::string::npos);

    out = select(sandbox, selector(kIncidentMs - 60 * kMinuteMs).get());
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.backup_id == early);

    SUBCASE("nothing before T is a clear not-found naming T, and nothing is posted") {
        admin().clear_requests();
        auto none = select(sandbox, selector(kIncidentMs - 180 * kMinuteMs, "manual").get());
        CAPTURE(none.failure.message);
        CHECK(none.status == DCS_E_NOT_FOUND);
        CHECK(none.failure.message.find("no restorable backup created before "
                                        "2020-01-01T07:00:00Z of type manual") !=
              std::string::npos);
        CHECK(none.failure.message.find(sandbox.instance_id) != std::string::npos);
        CHECK(none.backup_id.empty());
        expect_nothing_posted(sandbox);
    }
}

TEST_CASE("type and name filters narrow the choice") {
    Sandbox sandbox;
    const std::string automatic =
        backup_at(sandbox, kIncidentMs - 30 * kMinuteMs, "succeed", "TRUE", "auto");
    const std::string manual = backup_at(sandbox, kIncidentMs - 20 * kMinuteMs);
    backup_at(sandbox, kIncidentMs - 10 * kMinuteMs, "succeed", "TRUE", "auto");

    auto out = select(sandbox, selector(kIncidentMs - 15 * kMinuteMs, "auto").get());
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.backup_id == automatic);
    out = select(sandbox, selector(kIncidentMs, "manual").get());
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.backup_id == manual);
    // The emulator names a backup after its creation time, as DCS does.
    out = select(sandbox, selector(-1, nullptr, "backup_20200101093000").get());
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.backup_id == automatic);
    auto none = select(sandbox, selector(-1, "manual", "backup_20200101093000").get());
    CHECK(none.status == DCS_E_NOT_FOUND);
    CHECK(none.failure.message.find("named \"backup_20200101093000\"") != std::string::npos);
}

TEST_CASE("every page is read: the newest restorable backup is on the second page") {
    Sandbox sandbox;
    {
        auto client = sandbox.client();
        REQUIRE(dcs_delete_backup(client.get(), sandbox.instance_id.c_str(),
                                  sandbox.backup_id.c_str(), nullptr, nullptr) == DCS_OK);
    }
    // 1,500 newer backups that cannot be restored fill more than one page (1,000 records).
    BackupHistorySpec history;
    history.count = 1500;
    history.status = "failed";
    history.is_support_restore = "FALSE";
    history.newest_age_ms = 10 * kMinuteMs;
    history.spacing_ms = 1000;
    REQUIRE(admin().seed_backups(sandbox.instance_id, history) == 1500);
    const std::string oldest = backup_at(sandbox, now_ms() - 60 * kMinuteMs);
    admin().clear_requests();

    for (int64_t before : {int64_t{-1}, now_ms() - 5 * kMinuteMs}) {
        CAPTURE(before);
        admin().clear_requests();
        auto out = select(sandbox, selector(before).get());
        REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
        CHECK(out.backup_id == oldest);
        auto sent = listings();
        REQUIRE(sent.size() == 2);
        CHECK(sent[0].query.find("offset=0") != std::string::npos);
        CHECK(sent[1].query.find("offset=1000") != std::string::npos);
        for (const auto& r : sent) {
            CHECK((r.query.find("end_time=") != std::string::npos) == (before >= 0));
        }
    }
    expect_nothing_posted(sandbox);
}

namespace {

struct Check {
    std::string name;
    bool passed;
    std::string detail;
};

struct Plan {
    dcs_status status = DCS_OK;
    Failure failure;
    bool would_start = false;
    std::string instance_status, cache_mode, backup_id;
    int64_t age_ms = -2;
    std::vector<Check> checks;

    [[nodiscard]] const Check* find(const std::string& name) const {
        for (const auto& c : checks) {
            if (c.name == name) {
                return &c;
            }
        }
        return nullptr;
    }
};

Plan plan(const Sandbox& sandbox, const dcs_backup_selector* sel,
          const std::string& instance_id = "") {
    auto client = sandbox.client();
    dcs_restore_plan* raw = nullptr;
    dcs_error* err = nullptr;
    Plan out;
    out.status = dcs_plan_restore(client.get(),
                                  (instance_id.empty() ? sandbox.instance_id : instance_id).c_str(),
                                  sel, nullptr, &raw, &err);
    PlanPtr p(raw);
    out.failure = take_error(err);
    if (!p) {
        return out;
    }
    out.would_start = dcs_restore_plan_would_start(p.get()) != 0;
    out.instance_status = dcs_instance_status(dcs_restore_plan_instance(p.get()));
    out.cache_mode = dcs_instance_cache_mode(dcs_restore_plan_instance(p.get()));
    if (const dcs_backup_record* b = dcs_restore_plan_backup(p.get())) {
        out.backup_id = dcs_backup_record_backup_id(b);
    }
    out.age_ms = dcs_restore_plan_backup_age_ms(p.get());
    for (size_t i = 0; i < dcs_restore_plan_check_count(p.get()); ++i) {
        out.checks.push_back({dcs_restore_plan_check_name(p.get(), i),
                              dcs_restore_plan_check_passed(p.get(), i) != 0,
                              dcs_restore_plan_check_detail(p.get(), i)});
    }
    // Past the end: the getters' "absent" values, never a crash.
    size_t end = out.checks.size();
    CHECK(std::string(dcs_restore_plan_check_name(p.get(), end)).empty());
    CHECK(dcs_restore_plan_check_passed(p.get(), end) == 0);
    return out;
}

}  // namespace

TEST_CASE("a dry run of a restore that would start: every check passes, nothing is posted") {
    Sandbox sandbox;
    backup_at(sandbox, now_ms() + kMinuteMs, "failed");
    admin().clear_requests();
    auto out = plan(sandbox, nullptr);
    REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
    CHECK(out.would_start);
    CHECK(out.instance_status == "RUNNING");
    CHECK(out.cache_mode == "ha");
    CHECK(out.backup_id == sandbox.backup_id);
    CHECK(out.age_ms >= 0);
    CHECK(out.age_ms < 10 * kMinuteMs);
    std::vector<std::string> names;
    for (const auto& c : out.checks) {
        CHECK_MESSAGE(c.passed, c.detail);
        names.push_back(c.name);
    }
    CHECK(names == std::vector<std::string>{"instance_mode", "instance_running", "backup_found",
                                            "backup_succeeded", "backup_restorable"});
    expect_nothing_posted(sandbox);
}

TEST_CASE("a dry run reports every check that fails, and posts nothing") {
    Sandbox sandbox;
    const std::string failed = backup_at(sandbox, now_ms() - kMinuteMs, "failed", "FALSE");
    admin().patch_instance(sandbox.instance_id, std::string("RESTARTING"), std::nullopt);
    admin().clear_requests();

    SUBCASE("a named backup that failed, on an instance that is not RUNNING") {
        auto out = plan(sandbox, selector(-1, nullptr, nullptr, failed.c_str()).get());
        REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
        CHECK_FALSE(out.would_start);
        CHECK(out.backup_id == failed);
        REQUIRE(out.find("instance_running") != nullptr);
        CHECK_FALSE(out.find("instance_running")->passed);
        CHECK(out.find("instance_running")->detail.find("RESTARTING") != std::string::npos);
        CHECK(out.find("instance_mode")->passed);
        REQUIRE(out.find("backup_succeeded") != nullptr);
        CHECK_FALSE(out.find("backup_succeeded")->passed);
        CHECK(out.find("backup_succeeded")->detail.find("\"failed\"") != std::string::npos);
        CHECK_FALSE(out.find("backup_restorable")->passed);
    }
    SUBCASE("no backup passes the filters") {
        auto out = plan(sandbox, selector(kIncidentMs).get());
        REQUIRE_MESSAGE(out.status == DCS_OK, out.failure.message);
        CHECK_FALSE(out.would_start);
        CHECK(out.backup_id.empty());
        CHECK(out.age_ms == -1);
        REQUIRE(out.find("backup_found") != nullptr);
        CHECK_FALSE(out.find("backup_found")->passed);
        CHECK(out.find("backup_found")->detail.find("created before 2020-01-01T10:00:00Z") !=
              std::string::npos);
        CHECK(out.find("backup_succeeded") == nullptr);
    }
    SUBCASE("an unknown instance is an error, not a plan") {
        auto out = plan(sandbox, nullptr, "no-such-instance");
        CHECK(out.status == DCS_E_NOT_FOUND);
    }
    expect_nothing_posted(sandbox);
}

TEST_CASE("a selector refuses bad filters and keeps what it had") {
    dcs_backup_selector* raw = nullptr;
    REQUIRE(dcs_backup_selector_new(&raw, nullptr) == DCS_OK);
    SelectorPtr sel(raw);
    REQUIRE(dcs_backup_selector_set_backup_type(sel.get(), "auto", nullptr) == DCS_OK);
    struct Bad {
        const char* what;
        dcs_status status;
    };
    dcs_error* err = nullptr;
    std::vector<Bad> refused = {
        {"before -2", dcs_backup_selector_set_before_ms(sel.get(), -2, &err)},
        {"before year 10000",
         dcs_backup_selector_set_before_ms(sel.get(), 253402300800000, nullptr)},
        {"type weekly", dcs_backup_selector_set_backup_type(sel.get(), "weekly", nullptr)},
        {"name with LF", dcs_backup_selector_set_backup_name(sel.get(), "a\nb", nullptr)},
        {"id ../x", dcs_backup_selector_set_backup_id(sel.get(), "../x", nullptr)},
        {"NULL selector", dcs_backup_selector_set_before_ms(nullptr, 0, nullptr)},
    };
    for (const auto& bad : refused) {
        CHECK_MESSAGE(bad.status == DCS_E_INVALID_ARGUMENT, bad.what);
    }
    Failure first = take_error(err);
    CHECK(first.message.find("before") != std::string::npos);
    // The refused type left "auto" in place: a manual-only instance has nothing to offer.
    Sandbox sandbox;
    auto none = select(sandbox, sel.get());
    CHECK(none.status == DCS_E_NOT_FOUND);
    CHECK(none.failure.message.find("of type auto") != std::string::npos);
    CHECK(dcs_backup_selector_set_before_ms(sel.get(), 0, nullptr) == DCS_OK);
    CHECK(dcs_backup_selector_set_before_ms(sel.get(), 253402300799999, nullptr) == DCS_OK);
}
