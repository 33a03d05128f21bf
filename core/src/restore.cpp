// RestoreInstance: pre-flight checks, and retries that never start a restore twice.
//
// The rule: once an attempt may have reached the service (its answer was lost, cut short,
// unreadable, a 5xx, or never came), RestoreInstance is never posted again. The call looks
// for the restore that attempt may have started in the instance's restore records and
// adopts it; if none is listed within the reconcile window it ends "unresolved" (sent =
// MAYBE) and tells the caller how to check later (find_restore). Posting again would trade
// a lost answer for a possible second restore, which overwrites live data with old data;
// an unresolved error costs the caller one lookup. Only answers that prove nothing started
// (a busy or other 4xx code, a 429, a failure before any byte left) lead to another POST.
#include <algorithm>
#include <chrono>
#include <ctime>

#include "client.hpp"
#include "http_errors.hpp"
#include "text.hpp"
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
// How many reported restore ids a client remembers: far more than the restores one client
// starts within the slack above, which is all the memory has to cover.
constexpr size_t kReportedRestoresKept = 256;

// Documented instance states that end by themselves (dcs-api.md, ShowInstance status).
bool is_passing_instance_status(const std::string& status) {
    return status == "RESTORING" || status == "RESTARTING" || status == "EXTENDING" ||
           status == "FLUSHING" || status == "CREATING";
}

Error precondition(const std::string& message) {
    return make_error(Status::Precondition, "pre-flight check failed: " + message, Sent::No);
}

}  // namespace

std::optional<Error> Client::preflight(const Call& call, const std::string& instance_id,
                                       const std::string& backup_id) {
    auto instance = show(call, instance_id);
    // With wait_while_busy, an instance in a passing state (another restore, a restart, a
    // resize, ...) is waited for, as a busy answer to the POST would be.
    for (int poll = 1;
         instance && call.wait_while_busy && is_passing_instance_status(instance.value().status);
         ++poll) {
        const std::string status = instance.value().status;
        Error busy =
            make_error(Status::Busy, "instance " + instance_id + " is " + status + ", not RUNNING");
        if (!pause_before_retry(call, busy, poll)) {
            if (busy.status == Status::Cancelled) {
                return busy;
            }
            return make_error(Status::Timeout, "instance " + instance_id + " was still " + status +
                                                   " when the call's deadline passed; no restore "
                                                   "was started");
        }
        instance = show(call, instance_id);
    }
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
    if (!found->restorable) {
        return precondition(
            "backup " + backup_id + " does not support restore (is_support_restore=" +
            (found->is_support_restore.empty() ? "unset" : found->is_support_restore) + ")");
    }
    return std::nullopt;
}

int64_t Client::created_lower_bound(int64_t since_wall_ms) const {
    return server_clock_known_ ? since_wall_ms + server_clock_offset_ms_.load() - kCreatedAtSlackMs
                               : since_wall_ms - kUnknownSkewSlackMs;
}

void Client::remember_restore(const std::string& restore_id) {
    std::lock_guard<std::mutex> lock(reported_mu_);
    reported_restores_.push_back({restore_id, SteadyClock::now()});
    if (reported_restores_.size() > kReportedRestoresKept) {
        reported_restores_.pop_front();
    }
}

std::optional<SteadyClock::time_point> Client::reported_at(const std::string& restore_id) const {
    std::lock_guard<std::mutex> lock(reported_mu_);
    // Newest first: an id reported twice (an adoption after an answer) counts from the last.
    auto found = std::find_if(reported_restores_.rbegin(), reported_restores_.rend(),
                              [&](const ReportedRestore& r) { return r.restore_id == restore_id; });
    if (found == reported_restores_.rend()) {
        return std::nullopt;
    }
    return found->at;
}

Result<std::optional<RestoreRecord>> Client::match_restore(const Call& call,
                                                           const std::string& instance_id,
                                                           const RestoreQuery& query) {
    // The filter only narrows the listing; the exact bound is applied below, once the
    // listing's Date header has told us the service's clock.
    ListFilter filter;
    filter.begin_time = utc_compact(query.since_ms - kListingLookbackMs);
    auto records = all_restores(call, instance_id, filter);
    if (!records) {
        return std::move(records).error();
    }
    int64_t lower_bound = created_lower_bound(query.since_ms);
    const std::string remark = query.remark.value_or(std::string());
    std::optional<RestoreRecord> earliest;
    int64_t earliest_created = 0;
    for (auto& record : records.value()) {
        if (record.backup_id != query.backup_id || record.restore_remark != remark ||
            (query.skip_reported && reported_before(record.restore_id))) {
            continue;
        }
        int64_t created = parse_timestamp_ms(record.created_at);
        if (created < lower_bound) {
            continue;
        }
        if (!earliest || created < earliest_created) {
            earliest_created = created;
            earliest = std::move(record);
        }
    }
    return earliest;
}

Client::Adopted Client::reconcile(const Call& call, const std::string& instance_id,
                                  const RestoreQuery& query, int64_t window_ms) {
    auto window_end = SteadyClock::now() + std::chrono::milliseconds(window_ms);
    for (bool listed = false;; listed = true) {
        auto found = match_restore(call, instance_id, query);
        if (!found) {
            if (listed && call.deadline.expired() && found.error().status == Status::Timeout) {
                // The deadline cut a later look short; the earlier ones saw nothing.
                return Adopted{};
            }
            return Adopted{std::nullopt, std::move(found).error()};
        }
        if (found.value()) {
            const RestoreRecord& record = *found.value();
            log(LogLevel::Info, "adopting restore " + record.restore_id + " of backup " +
                                    query.backup_id + ": an attempt of this call started it");
            return Adopted{record.restore_id, std::nullopt};
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

Error Client::unresolved(const Call& call, const std::string& instance_id,
                         const RestoreQuery& query, Error cause,
                         const std::optional<Error>& listing_error) const {
    Error error = std::move(cause);
    if (listing_error && listing_error->status == Status::Cancelled) {
        error.status = Status::Cancelled;
    }
    error.sent = Sent::Maybe;
    std::string since = utc_compact(query.since_ms);
    std::string how =
        listing_error ? "the restore records could not be listed (" + listing_error->message + ")"
                      : "no restore of backup " + query.backup_id +
                            " with this remark created since " + since + " UTC was listed within " +
                            std::to_string(std::min<int64_t>(call.reconcile_window_ms,
                                                             elapsed_ms(call.started))) +
                            " ms";
    error.message = "unresolved: the restore may have started: " + error.message + "; " + how +
                    ". It was not posted again. Check with find_restore (instance " + instance_id +
                    ", backup " + query.backup_id + ", since " + since +
                    " UTC) before restoring again";
    return error;
}

Result<RestoreStarted> Client::restore_instance(const std::string& instance_id,
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
    if (auto err = validate_call_options(options)) {
        return *err;
    }
    Call call = begin(options, config_.timeout_ms);
    // The call's start by our wall clock: a restore it starts is created after this.
    const RestoreQuery query{backup_id, remark, wall_now_ms(), true};
    if (options.preflight) {
        if (auto err = preflight(call, instance_id, backup_id)) {
            return *err;
        }
    }
    Request request{"RestoreInstance",
                    "POST",
                    instance_path(instance_id) + "/restores",
                    {},
                    encode_restore_body(backup_id, remark),
                    true};
    for (int number = 1;; ++number) {
        auto response = attempt(call, request, number);
        std::optional<Error> failure;
        if (response) {
            auto restore_id = parse_restore_id(response.value().body);
            if (restore_id) {
                remember_restore(restore_id.value());
                return RestoreStarted{std::move(restore_id).value(), false};
            }
            // A 2xx means the restore started, even if its id is unreadable.
            failure = bad_response(response.value(), restore_id.error());
        } else {
            failure = std::move(response).error();
        }
        Error& error = *failure;
        RetryVerdict verdict = retry_verdict(error, Idempotency::StartsWork);
        if (verdict == RetryVerdict::Reconcile) {
            // This attempt may have started the restore: find it, never post again.
            Adopted adopted = reconcile(call, instance_id, query, call.reconcile_window_ms);
            if (adopted.restore_id) {
                remember_restore(*adopted.restore_id);
                return RestoreStarted{*adopted.restore_id, true};
            }
            return unresolved(call, instance_id, query, std::move(error), adopted.error);
        }
        bool waiting_out_busy = call.wait_while_busy && error.status == Status::Busy;
        if (verdict == RetryVerdict::Stop || (number >= call.max_attempts && !waiting_out_busy)) {
            return error;
        }
        if (!pause_before_retry(call, error, number)) {
            return error;
        }
    }
}

Result<RestoreRecord> Client::find_restore(const std::string& instance_id,
                                           const RestoreQuery& query, const CallOptions& options) {
    if (auto err = validate_id("instance_id", instance_id)) {
        return *err;
    }
    if (auto err = validate_id("backup_id", query.backup_id)) {
        return *err;
    }
    if (query.remark) {
        if (auto err = validate_remark("remark", *query.remark)) {
            return *err;
        }
    }
    if (query.since_ms < 0) {
        return make_error(Status::InvalidArgument,
                          "since must be a time in epoch milliseconds, not negative");
    }
    if (auto err = validate_call_options(options)) {
        return *err;
    }
    Call call = begin(options, config_.timeout_ms);
    auto found = match_restore(call, instance_id, query);
    if (!found) {
        return std::move(found).error();
    }
    if (!found.value()) {
        return make_error(Status::NotFound,
                          "instance " + instance_id + " has no restore of backup " +
                              query.backup_id + " with that remark created since " +
                              utc_compact(query.since_ms) + " UTC",
                          Sent::Yes);
    }
    return std::move(*found.value());
}

}  // namespace dcs::core
