// Picking the backup to restore by what the person restoring knows of it ("the newest
// restorable backup taken before 10:00 UTC"), and what a dry run of a restore reports. The
// Client's operations that use these are declared in client.hpp: select_backup
// (backup_select.cpp) and plan_restore (restore_plan.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "error.hpp"
#include "json_codec.hpp"

namespace dcs::core {

// Which backup a restore uses: the newest restorable backup that passes every filter set.
// All fields empty / -1: the newest restorable backup of the instance.
struct BackupSelector {
    std::string backup_id;    // only this backup; "" = any
    int64_t before_ms = -1;   // only backups created strictly before (epoch ms); -1 = any time
    std::string backup_type;  // only "manual" or only "auto" backups; "" = both
    std::string backup_name;  // only the backup of this backup_name; "" = any
};

// The latest time a selector accepts (9999-12-31T23:59:59.999Z): the service's time filter
// has four digits of year.
constexpr int64_t kMaxSelectorTimeMs = 253402300799999;

// Checks every field as the setters of the C ABI do (before_ms -1 or 0..kMaxSelectorTimeMs,
// an id, a backup type, a name of at most 128 bytes of text).
std::optional<Error> validate_selector(const BackupSelector& selector);

// The one rule of what a restore can start from: the backup succeeded, and the service says
// it supports restore (is_support_restore TRUE). dcs-api.md §3.3.
bool is_restorable(const BackupRecord& backup);

// The selector's filters as words, for messages that must say what was asked for:
// " created before 2026-11-27T10:00:00Z of type manual named "x"" (each with a leading
// space; "" for none), to follow "backup".
std::string describe_filters(const BackupSelector& selector);

// The backups of `listed` that pass the selector's filters (id, time, type, name), whether
// restorable or not, in the listing's order. A backup without a readable created_at never
// passes a time filter: it cannot be shown to be older.
std::vector<BackupRecord> filter_backups(std::vector<BackupRecord> listed,
                                         const BackupSelector& selector);

// The newest restorable backup of `candidates` (ties: the first listed, the service lists
// newest first); nullptr when none is restorable.
const BackupRecord* newest_restorable(const std::vector<BackupRecord>& candidates);

// One check of a restore's dry run, as the pre-flight check makes it.
struct RestoreCheck {
    std::string name;  // a stable identifier: "instance_running", "backup_restorable", ...
    bool passed = false;
    std::string detail;  // one line: what was found
};

// What a restore would do, without starting it.
struct RestorePlan {
    InstanceInfo instance;
    // The backup the restore would use; when no backup is restorable, the newest that passes
    // the selector's filters (to show why); nullopt when none passes them.
    std::optional<BackupRecord> backup;
    int64_t backup_age_ms = -1;  // by the service's clock; -1 when its created_at is unknown
    std::vector<RestoreCheck> checks;
    bool would_start = false;  // every check passed: the restore would be posted
};

}  // namespace dcs::core
