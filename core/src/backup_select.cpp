// Picking the backup to restore by time, type and name (backup_select.hpp). The listing is
// narrowed by the service where it can be (a "before" time is sent as end_time, which the
// service applies to whole seconds, both ends inclusive) and exactly here: only what is
// sure to be older than the time asked for may be chosen, whatever the service's rounding.
#include "backup_select.hpp"

#include <algorithm>

#include "client.hpp"
#include "text.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

// "2026-11-27T10:00:00Z" (with ".250" when the time has milliseconds): the form people
// type (dcsctl --before), so that a message shows the time as it was asked for.
std::string rfc3339(int64_t epoch_ms) {
    const std::string compact = utc_compact(epoch_ms);
    std::string text = compact.substr(0, 4) + "-" + compact.substr(4, 2) + "-" +
                       compact.substr(6, 2) + "T" + compact.substr(8, 2) + ":" +
                       compact.substr(10, 2) + ":" + compact.substr(12, 2);
    if (const int64_t millis = epoch_ms % 1000; millis != 0) {
        std::string digits = std::to_string(1000 + millis);  // keeps the leading zeros
        text += "." + digits.substr(1);
    }
    return text + "Z";
}

bool passes(const BackupRecord& backup, const BackupSelector& selector) {
    if (!selector.backup_id.empty() && backup.backup_id != selector.backup_id) {
        return false;
    }
    if (selector.before_ms >= 0 &&
        (backup.created_at_ms < 0 || backup.created_at_ms >= selector.before_ms)) {
        return false;
    }
    if (!selector.backup_type.empty() && backup.backup_type != selector.backup_type) {
        return false;
    }
    return selector.backup_name.empty() || backup.backup_name == selector.backup_name;
}

}  // namespace

std::string describe_filters(const BackupSelector& selector) {
    std::string text;
    if (!selector.backup_id.empty()) {
        text += " " + selector.backup_id;
    }
    if (selector.before_ms >= 0) {
        text += " created before " + rfc3339(selector.before_ms);
    }
    if (!selector.backup_type.empty()) {
        text += " of type " + selector.backup_type;
    }
    if (!selector.backup_name.empty()) {
        text += " named \"" + selector.backup_name + "\"";
    }
    return text;
}

std::optional<Error> validate_selector(const BackupSelector& selector) {
    if (!selector.backup_id.empty()) {
        if (auto err = validate_id("backup_id", selector.backup_id)) {
            return err;
        }
    }
    if (selector.before_ms < -1 || selector.before_ms > kMaxSelectorTimeMs) {
        return make_error(Status::InvalidArgument,
                          "before must be a time in epoch milliseconds from 0 to " +
                              std::to_string(kMaxSelectorTimeMs) + ", or -1 for none, got " +
                              std::to_string(selector.before_ms));
    }
    if (!selector.backup_type.empty()) {
        if (auto err = validate_backup_type(selector.backup_type)) {
            return err;
        }
    }
    // A name is compared, never sent: the limits of free text are enough.
    return validate_remark("backup_name", selector.backup_name);
}

std::optional<Error> validate_selection(const std::string& instance_id,
                                        const BackupSelector& selector,
                                        const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return err;
    }
    if (auto err = validate_selector(selector)) {
        return err;
    }
    return validate_call_options(options);
}

bool is_restorable(const BackupRecord& backup) {
    return backup.status == "succeed" && backup.restorable;
}

std::vector<BackupRecord> filter_backups(std::vector<BackupRecord> listed,
                                         const BackupSelector& selector) {
    listed.erase(std::remove_if(listed.begin(), listed.end(),
                                [&](const BackupRecord& b) { return !passes(b, selector); }),
                 listed.end());
    return listed;
}

const BackupRecord* newest_restorable(const std::vector<BackupRecord>& candidates) {
    const BackupRecord* newest = nullptr;
    for (const BackupRecord& backup : candidates) {
        if (is_restorable(backup) &&
            (newest == nullptr || backup.created_at_ms > newest->created_at_ms)) {
            newest = &backup;
        }
    }
    return newest;
}

Result<std::vector<BackupRecord>> Client::backup_candidates(const Call& call,
                                                            const std::string& instance_id,
                                                            const BackupSelector& selector) {
    ListFilter filter;
    if (selector.before_ms >= 0) {
        // Inclusive and to the second: it keeps the backups of that very second, which
        // filter_backups then sorts out to the millisecond.
        filter.end_time = utc_compact(selector.before_ms);
    }
    auto listed = all_backups(call, instance_id, filter);
    if (!listed) {
        return std::move(listed).error();
    }
    return filter_backups(std::move(listed).value(), selector);
}

Result<BackupRecord> Client::select_backup(const std::string& instance_id,
                                           const BackupSelector& selector,
                                           const CallOptions& options) {
    if (auto err = validate_selection(instance_id, selector, options)) {
        return *err;
    }
    Call call = begin(options, config_.timeout_ms);
    auto candidates = backup_candidates(call, instance_id, selector);
    if (!candidates) {
        return std::move(candidates).error();
    }
    if (const BackupRecord* chosen = newest_restorable(candidates.value())) {
        return *chosen;
    }
    const size_t passed = candidates.value().size();
    std::string why = passed == 0 ? "no backup listed passes the filters"
                                  : std::to_string(passed) +
                                        " listed pass the filters, but none succeeded with "
                                        "is_support_restore TRUE";
    return make_error(Status::NotFound,
                      "instance " + instance_id + " has no restorable backup" +
                          describe_filters(selector) + " (" + why + ")",
                      Sent::Yes);
}

}  // namespace dcs::core
