// Waiting for a restore to finish, and optionally for the instance to run again.
#include <algorithm>
#include <chrono>

#include "client.hpp"
#include "text.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

// A new restore record may take a moment to appear in the listing; until then "not
// found" means "not yet", after it the id is wrong.
constexpr int64_t kNotFoundGraceMs = 30000;
// The instance must read RUNNING this many times in a row (Terraform's instance waiter
// does the same: a single RUNNING can flicker during the restore's last step).
constexpr int kRunningReadsRequired = 2;

// dcs-api.md §1.2: what the dcs.08.000x failure codes of a record mean.
std::string failure_meaning(const std::string& code) {
    static const std::pair<const char*, const char*> kMeanings[] = {
        {"dcs.08.0001", "failed to start the backup and restoration tool"},
        {"dcs.08.0002", "execution timed out"},
        {"dcs.08.0003", "failed to delete the bucket"},
        {"dcs.08.0004", "failed to obtain the AK/SK"},
        {"dcs.08.0005", "failed to create a bucket"},
        {"dcs.08.0006", "failed to query the backup data size"},
        {"dcs.08.0007", "failed to synchronize data during restoration"},
        {"dcs.08.0008", "the instance is running other tasks"},
    };
    for (const auto& [known, meaning] : kMeanings) {
        if (code == known) {
            return meaning;
        }
    }
    return "no reason given";
}

bool is_transient(Status status) {
    switch (status) {
        case Status::Transport:
        case Status::Server:
        case Status::Throttled:
        case Status::Busy:
        case Status::BadResponse:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<Error> Client::wait_for_instance_running(const Call& call,
                                                       const std::string& instance_id,
                                                       int64_t poll_ms) {
    int running_reads = 0;
    std::string last_status = "unknown";
    for (;;) {
        auto instance = show(call, instance_id);
        if (instance) {
            last_status = instance.value().status;
            running_reads = last_status == "RUNNING" ? running_reads + 1 : 0;
            if (running_reads >= kRunningReadsRequired) {
                return std::nullopt;
            }
        } else if (!is_transient(instance.error().status)) {
            return std::move(instance).error();
        }
        if (!interruptible_sleep(poll_ms, call.deadline, call.cancel)) {
            return make_error(Status::Cancelled,
                              "the wait was cancelled while the instance was " + last_status,
                              Sent::Yes);
        }
        if (call.deadline.expired()) {
            return make_error(Status::Timeout,
                              "the restore succeeded but instance " + instance_id + " was still " +
                                  last_status + " when the wait's deadline passed",
                              Sent::Yes);
        }
    }
}

Result<RestoreRecord> Client::wait_for_restore(const std::string& instance_id,
                                               const std::string& restore_id,
                                               const WaitOptions& wait,
                                               const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_id("restore_id", restore_id)) {
        return *err;
    }
    if (wait.poll_interval_ms <= 0 || wait.max_poll_interval_ms < wait.poll_interval_ms) {
        return make_error(Status::InvalidArgument,
                          "poll interval must be positive and at most the maximum interval");
    }
    Call call = begin(options, kDefaultWaitTimeoutMs);
    int64_t interval = wait.poll_interval_ms;
    std::string last_seen = "not yet listed";
    for (;;) {
        auto record = restore_by_id(call, instance_id, restore_id);
        if (record) {
            const RestoreRecord& r = record.value();
            last_seen = "\"" + r.status + "\" at " +
                        (r.progress.empty() ? std::string("unknown") : r.progress) + "%";
            if (wait.on_progress) {
                wait.on_progress(r);
            }
            if (r.status == "succeed") {
                if (wait.wait_for_instance) {
                    if (auto err = wait_for_instance_running(call, instance_id, interval)) {
                        return *err;
                    }
                }
                return record;
            }
            if (r.status == "failed") {
                Error e = make_error(Status::RestoreFailed,
                                     "restore " + restore_id + " of instance " + instance_id +
                                         " failed with " +
                                         (r.error_code.empty() ? "no error code" : r.error_code) +
                                         " (" + failure_meaning(r.error_code) + ")",
                                     Sent::Yes);
                e.service_code = r.error_code;
                e.service_message = failure_meaning(r.error_code);
                e.request_id = call.last_request_id;
                if (!e.request_id.empty()) {
                    e.message += " (request id " + e.request_id + ")";
                }
                return e;
            }
        } else {
            Error& error = record.error();
            bool not_yet_listed =
                error.status == Status::NotFound && elapsed_ms(call.started) < kNotFoundGraceMs;
            if (!not_yet_listed && !is_transient(error.status)) {
                if (error.status == Status::Timeout || error.status == Status::Cancelled) {
                    error.message += " while waiting for restore " + restore_id + " (last seen " +
                                     last_seen + ")";
                }
                return std::move(record).error();
            }
            log(LogLevel::Info, "polling restore " + restore_id + " again after: " + error.message);
        }
        if (!interruptible_sleep(interval, call.deadline, call.cancel)) {
            return make_error(Status::Cancelled,
                              "the wait for restore " + restore_id + " was cancelled (last seen " +
                                  last_seen + ")",
                              Sent::Yes);
        }
        if (call.deadline.expired()) {
            return make_error(Status::Timeout,
                              "restore " + restore_id + " was still " + last_seen +
                                  " when the wait's deadline passed",
                              Sent::Yes);
        }
        interval = std::min(wait.max_poll_interval_ms, interval + interval / 2);
    }
}

}  // namespace dcs::core
