// A restore's dry run: the instance and the backup a restore would use, and the verdict of
// each pre-flight check, with nothing posted. The checks are those of the pre-flight check of
// restore_instance (restore.cpp) with its wording, but all of them are reported, not only
// the first that fails, so that one look says everything that stands in the way.
#include <algorithm>

#include "client.hpp"

namespace dcs::core {
namespace {

// When no backup passing the filters is restorable, the newest of them is the one to show:
// it is the one the caller most likely meant, and its checks say why it cannot be used.
const BackupRecord* newest_of(const std::vector<BackupRecord>& backups) {
    const BackupRecord* newest = nullptr;
    for (const BackupRecord& backup : backups) {
        if (newest == nullptr || backup.created_at_ms > newest->created_at_ms) {
            newest = &backup;
        }
    }
    return newest;
}

void add_instance_checks(RestorePlan& plan, const std::string& instance_id) {
    const InstanceInfo& info = plan.instance;
    const bool single = info.cache_mode == "single";
    plan.checks.push_back(
        {"instance_mode", !single,
         single ? "instance " + instance_id +
                      " is single-node; DCS restores only master/standby and cluster instances"
                : "instance " + instance_id + " has cache mode " +
                      (info.cache_mode.empty() ? "(not given)" : info.cache_mode)});
    const bool running = info.status == "RUNNING";
    plan.checks.push_back({"instance_running", running,
                           "instance " + instance_id + " is " +
                               (info.status.empty() ? "in an unknown state" : info.status) +
                               (running ? "" : ", not RUNNING")});
}

void add_backup_checks(RestorePlan& plan, const std::string& instance_id,
                       const BackupSelector& selector) {
    if (!plan.backup) {
        plan.checks.push_back(
            {"backup_found", false,
             "instance " + instance_id + " has no backup" + describe_filters(selector)});
        return;
    }
    const BackupRecord& backup = *plan.backup;
    const std::string& id = backup.backup_id;
    plan.checks.push_back({"backup_found", true,
                           "backup " + id + " (" + backup.backup_name + ", " + backup.backup_type +
                               ") created " + backup.created_at});
    const bool succeeded = backup.status == "succeed";
    plan.checks.push_back({"backup_succeeded", succeeded,
                           "backup " + id + " has status \"" + backup.status + "\"" +
                               (succeeded ? "" : "; only a succeeded backup can be restored")});
    plan.checks.push_back(
        {"backup_restorable", backup.restorable,
         "backup " + id + (backup.restorable ? " supports" : " does not support") +
             " restore (is_support_restore=" +
             (backup.is_support_restore.empty() ? "unset" : backup.is_support_restore) + ")"});
}

}  // namespace

Result<RestorePlan> Client::plan_restore(const std::string& instance_id,
                                         const BackupSelector& selector,
                                         const CallOptions& options) {
    if (auto err = validate_selection(instance_id, selector, options)) {
        return *err;
    }
    Call call = begin(options, config_.timeout_ms);
    auto instance = show(call, instance_id);
    if (!instance) {
        return std::move(instance).error();
    }
    auto candidates = backup_candidates(call, instance_id, selector);
    if (!candidates) {
        return std::move(candidates).error();
    }
    RestorePlan plan;
    plan.instance = std::move(instance).value();
    const BackupRecord* chosen = newest_restorable(candidates.value());
    if (chosen == nullptr) {
        chosen = newest_of(candidates.value());
    }
    if (chosen != nullptr) {
        plan.backup = *chosen;
        if (chosen->created_at_ms >= 0) {
            // The age by the service's clock, as learnt from the answers' Date headers.
            const int64_t service_now =
                wall_now_ms() + (server_clock_known_ ? server_clock_offset_ms_.load() : 0);
            plan.backup_age_ms = std::max<int64_t>(service_now - chosen->created_at_ms, 0);
        }
    }
    add_instance_checks(plan, instance_id);
    add_backup_checks(plan, instance_id, selector);
    plan.would_start = std::all_of(plan.checks.begin(), plan.checks.end(),
                                   [](const RestoreCheck& check) { return check.passed; });
    return plan;
}

}  // namespace dcs::core
