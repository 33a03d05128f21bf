// The backup selector's rules without a service: what passes a time filter (to the
// millisecond, never a backup of unknown age), which backup is the newest restorable, and
// how a selector's filters are named in messages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "backup_select.hpp"

using dcs::core::BackupRecord;
using dcs::core::BackupSelector;

namespace {

BackupRecord backup(const std::string& id, int64_t created_ms, bool restorable = true,
                    const std::string& status = "succeed", const std::string& type = "manual") {
    BackupRecord b;
    b.backup_id = id;
    b.backup_name = "backup_" + id;
    b.created_at_ms = created_ms;
    b.restorable = restorable;
    b.status = status;
    b.backup_type = type;
    return b;
}

std::vector<std::string> ids(const std::vector<BackupRecord>& backups) {
    std::vector<std::string> out;
    for (const auto& b : backups) {
        out.push_back(b.backup_id);
    }
    return out;
}

}  // namespace

TEST_CASE("a time filter keeps only what is surely older, to the millisecond") {
    const std::vector<BackupRecord> listed = {backup("at", 10000), backup("just-before", 9999),
                                              backup("unknown", -1), backup("old", 0)};
    BackupSelector before;
    before.before_ms = 10000;
    CHECK(ids(dcs::core::filter_backups(listed, before)) ==
          std::vector<std::string>{"just-before", "old"});
    CHECK(ids(dcs::core::filter_backups(listed, BackupSelector{})).size() == 4);
}

TEST_CASE("the newest restorable backup: not a newer failed or unrestorable one; ties keep order") {
    const std::vector<BackupRecord> listed = {
        backup("failed", 500, true, "failed"), backup("unsupported", 400, false),
        backup("first", 300), backup("tie", 300), backup("older", 100)};
    const BackupRecord* chosen = dcs::core::newest_restorable(listed);
    REQUIRE(chosen != nullptr);
    CHECK(chosen->backup_id == "first");
    CHECK(dcs::core::newest_restorable({backup("failed", 1, true, "failed")}) == nullptr);
    CHECK_FALSE(dcs::core::is_restorable(backup("expired", 1, true, "expired")));
}

TEST_CASE("type and name filters, and their words in messages") {
    BackupSelector selector;
    selector.backup_type = "auto";
    selector.backup_name = "backup_b";
    selector.before_ms = 1577872800250;
    const std::vector<BackupRecord> listed = {backup("a", 1, true, "succeed", "auto"),
                                              backup("b", 2, true, "succeed", "auto"),
                                              backup("b", 3, true, "succeed", "manual")};
    CHECK(dcs::core::filter_backups(listed, selector).size() == 1);
    CHECK(dcs::core::describe_filters(selector) ==
          " created before 2020-01-01T10:00:00.250Z of type auto named \"backup_b\"");
    CHECK(dcs::core::describe_filters(BackupSelector{}).empty());
}

TEST_CASE("a selector's limits") {
    BackupSelector selector;
    CHECK_FALSE(dcs::core::validate_selector(selector));
    selector.before_ms = dcs::core::kMaxSelectorTimeMs + 1;
    CHECK(dcs::core::validate_selector(selector));
    selector.before_ms = -1;
    selector.backup_type = "Manual";
    CHECK(dcs::core::validate_selector(selector));
    selector.backup_type = "manual";
    selector.backup_id = "a/b";
    CHECK(dcs::core::validate_selector(selector));
    selector.backup_id = "";
    selector.backup_name = std::string(129, 'n');
    CHECK(dcs::core::validate_selector(selector));
}
