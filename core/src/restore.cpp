// RestoreInstance: pre-flight checks, and retries that never start a restore twice.
#include <algorithm>
#include <chrono>
#include <ctime>

#include "client.hpp"
#include "http_errors.hpp"
#include "validate.hpp"

namespace dcs::core {
namespace {

// The Date header is truncated to the second and produced before we read it, so the
// offset learnt from it never overstates the service's clock: "call start by the service's
// clock" is a safe lower bound as it is. The slack only covers a created_at that the
// service rounds down to the second.
constexpr int64_t kCreatedAtSlackMs = 1000;
// Without a Date header to learn the service's clock from, allow for clock skew.
constexpr int64_t kUnknownSkewSlackMs = 60000;
// The begin_time filter of a reconciling listing reaches back this far, generously: the
// service accepts X-Sdk-Date only within 15 minutes of its clock, so no skew is larger.
constexpr int64_t kListingLookbackMs = 20LL * 60 * 1000;

std::string utc_compact(int64_t epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &parts);
    return text;
}

Error precondition(const std::string& message) {
    return make_error(Status::Precondition, "pre-flight check failed: " + message, Sent::No);
}

}  // namespace

std::optional<Error> Client::preflight(const Call& call, const std::string& instance_id,
                                       const std::string& backup_id) {
    auto instance = show(call, instance_id);
    if (!instance) {
        return std::move(instance).error();
    }
    const InstanceInfo& info = instance.value();
    if (info.cache_mode == "single") {
        return precondition("instance " + instance_id +
                            " is single-node; DCS restores only master/standby and cluster "
                            "instances");
    }
    if (info.status != "RUNNING") {
        return precondition("instance " + instance_id + " is " +
                            (info.status.empty() ? "in an unknown state" : info.status) +
                            ", not RUNNING");
    }
    auto backups = all_backups(call, instance_id, ListFilter{});
    if (!backups) {
        return std::move(backups).error();
    }
    auto found = std::find_if(backups.value().begin(), backups.value().end(),
                              [&](const BackupRecord& b) { return b.backup_id == backup_id; });
    if (found == backups.value().end()) {
        return precondition("backup " + backup_id + " is not a backup of instance " + instance_id);
    }
    if (found->status != "succeed") {
        return precondition("backup " + backup_id + " has status \"" + found->status +
                            "\"; only a succeeded backup can be restored");
    }
    if (found->is_support_restore != "TRUE") {
        return precondition(
            "backup " + backup_id + " does not support restore (is_support_restore=" +
            (found->is_support_restore.empty() ? "unset" : found->is_support_restore) + ")");
    }
    return std::nullopt;
}

Client::Adopted Client::reconcile(const Call& call, const std::string& instance_id,
                                  const std::string& backup_id,
                                  const std::optional<std::string>& remark, int64_t window_ms) {
    auto call_age_ms = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() -
                                                                     call.started)
            .count();
    };
    auto window_end = SteadyClock::now() + std::chrono::milliseconds(window_ms);
    ListFilter filter;
    filter.begin_time = utc_compact(wall_now_ms() - call_age_ms() - kListingLookbackMs);
    for (;;) {
        auto records = all_restores(call, instance_id, filter);
        if (!records) {
            return Adopted{std::nullopt, std::move(records).error()};
        }
        // When did this call begin, by the service's clock?
        int64_t began = wall_now_ms() - call_age_ms();
        int64_t lower_bound = server_clock_known_
                                  ? began + server_clock_offset_ms_.load() - kCreatedAtSlackMs
                                  : began - kUnknownSkewSlackMs;
        const RestoreRecord* best = nullptr;
        int64_t best_created = -1;
        for (const auto& record : records.value()) {
            bool same_request = record.backup_id == backup_id &&
                                record.restore_remark == remark.value_or(std::string());
            int64_t created = parse_timestamp_ms(record.created_at);
            if (same_request && created >= lower_bound && created > best_created) {
                best = &record;
                best_created = created;
            }
        }
        if (best != nullptr) {
            log(LogLevel::Info, "adopting restore " + best->restore_id + " of backup " + backup_id +
                                    ": an earlier attempt of this call started it");
            return Adopted{best->restore_id, std::nullopt};
        }
        if (SteadyClock::now() >= window_end || call.deadline.expired()) {
            return Adopted{};
        }
        if (!interruptible_sleep(config_.retry.reconcile_poll_ms, call.deadline, call.cancel)) {
            return Adopted{std::nullopt,
                           make_error(Status::Cancelled,
                                      "the call was cancelled while checking whether the "
                                      "restore had started",
                                      Sent::Maybe)};
        }
    }
}

Result<std::string> Client::restore_instance(const std::string& instance_id,
                                             const std::string& backup_id,
                                             const std::optional<std::string>& remark,
                                             const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_id("backup_id", backup_id)) {
        return *err;
    }
    if (remark) {
        if (auto err = validate_remark("remark", *remark)) {
            return *err;
        }
    }
    Call call = begin(options, config_.timeout_ms);
    if (options.preflight) {
        if (auto err = preflight(call, instance_id, backup_id)) {
            return *err;
        }
    }
    Request request{"RestoreInstance",
                    "POST",
                    instance_path(instance_id) + "/restores",
                    {},
                    encode_restore_body(backup_id, remark)};
    // Whether some attempt may have started a restore: from then on, "the instance is
    // restoring" most likely means ours.
    bool maybe_started = false;
    for (int number = 1;; ++number) {
        auto response = attempt(call, request, number);
        std::optional<Error> failure;
        if (response) {
            auto restore_id = parse_restore_id(response.value().body);
            if (restore_id) {
                return restore_id;
            }
            // A 2xx means the restore started, even if its id is unreadable.
            failure = bad_response(response.value(), restore_id.error());
        } else {
            failure = std::move(response).error();
        }
        Error& error = *failure;
        RetryVerdict verdict = retry_verdict(error, Idempotency::StartsWork);
        if (verdict == RetryVerdict::Reconcile) {
            bool busy_restoring = error.status == Status::Busy;
            maybe_started = maybe_started || !busy_restoring;
            // "Restoring" answers at once; a lost request may take a moment to show.
            int64_t window = busy_restoring ? 0 : config_.retry.reconcile_window_ms;
            Adopted adopted = reconcile(call, instance_id, backup_id, remark, window);
            if (adopted.restore_id) {
                return *adopted.restore_id;
            }
            if (adopted.error) {
                // Posting again without knowing could start a second restore.
                Error unresolved = error;
                unresolved.status =
                    adopted.error->status == Status::Cancelled ? Status::Cancelled : error.status;
                unresolved.sent = maybe_started ? Sent::Maybe : error.sent;
                unresolved.message +=
                    "; whether the restore started could not be checked: " + adopted.error->message;
                return unresolved;
            }
            if (!busy_restoring) {
                log(LogLevel::Info, "no restore of backup " + backup_id +
                                        " appeared after an ambiguous failure; posting again");
            }
        }
        if (verdict == RetryVerdict::Stop || number >= call.max_attempts) {
            if (maybe_started && error.sent == Sent::No) {
                error.sent = Sent::Maybe;
            }
            return error;
        }
        if (!pause_before_retry(call, error, number)) {
            if (maybe_started && error.sent == Sent::No) {
                error.sent = Sent::Maybe;
            }
            return error;
        }
    }
}

}  // namespace dcs::core
