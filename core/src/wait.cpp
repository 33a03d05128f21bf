// Waiting for a restore to finish, and optionally for the instance to run again. When to
// poll is wait_schedule's business; this file polls, reads the record and decides what an
// error means for the wait.
#include <algorithm>
#include <chrono>

#include "client.hpp"
#include "text.hpp"
#include "validate.hpp"
#include "wait_schedule.hpp"

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

// The listing of a record already seen asks for records created since its created_at less
// this: the service stamps and filters by its own clock, so this only covers the filter's
// whole seconds and any rounding of the service's.
constexpr int64_t kSinceMarginMs = 5LL * 60 * 1000;
// A record not found anywhere, if it exists, was created this recently (by the service's
// clock, which the signature check keeps within 15 minutes of ours).
constexpr int64_t kRecentMs = 3600LL * 1000;
// When the deadline comes before the next poll, the last one is made before it by twice
// what a poll took, at most this long, so that it can still be answered.
constexpr int64_t kLastLookMs = 1000;
// The same unreadable answer this many polls in a row is not passing: the wait ends.
constexpr int kMaxBadResponses = 3;

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

// Whether a failed poll of the restore is worth another. An unreadable 2xx may be a passing
// fault (a proxy, a cut), a few times; an answer over the response cap is not: the same
// listing will be as large next time, and polling it until the deadline helps no one.
bool worth_polling_again(const Error& error, int bad_responses_in_a_row) {
    if (error.status == Status::BadResponse) {
        bool readable_status = error.http_status >= 200 && error.http_status < 300;
        return readable_status && bad_responses_in_a_row < kMaxBadResponses;
    }
    if (error.status == Status::Transport && error.permanent) {
        return false;
    }
    return is_transient(error.status);
}

Error timed_out(const std::string& restore_id, const std::string& last_seen) {
    return make_error(
        Status::Timeout,
        "restore " + restore_id + " was still " + last_seen + " when the wait's deadline passed",
        Sent::Yes);
}

Error restore_failed(const std::string& instance_id, const std::string& restore_id,
                     const RestoreRecord& r, const std::string& request_id) {
    Error e = make_error(Status::RestoreFailed,
                         "restore " + restore_id + " of instance " + instance_id + " failed with " +
                             (r.error_code.empty() ? "no error code" : r.error_code) + " (" +
                             failure_meaning(r.error_code) + ")",
                         Sent::Yes);
    e.service_code = r.error_code;
    e.service_message = failure_meaning(r.error_code);
    e.request_id = request_id;
    if (!e.request_id.empty()) {
        e.message += " (request id " + e.request_id + ")";
    }
    return e;
}

// One debug line per poll: what was seen, what is predicted, when the next poll comes.
std::string describe_poll(const std::string& restore_id, const std::string& seen,
                          const PollSchedule& schedule, const PollSample& sample,
                          int64_t delay_ms) {
    std::string text =
        "restore " + restore_id + " " + seen + " at +" + std::to_string(sample.received_ms) + " ms";
    if (auto p = schedule.prediction()) {
        text += "; predicted end at +" + std::to_string(p->end_ms) + " ms (+-" +
                std::to_string(p->uncertainty_ms) + " ms)";
    }
    return text + "; next poll in " + std::to_string(delay_ms) + " ms";
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
        } else if (!worth_polling_again(instance.error(), 0)) {
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
    const auto zero = SteadyClock::now();
    auto local_ms = [&] { return elapsed_ms(zero); };
    PollSchedule schedule({wait.poll_interval_ms, wait.max_poll_interval_ms}, wall_now_ms());
    // Once the record is seen, the listing asks only for records created since it was
    // (less a margin): one short page per poll, however long the history.
    int64_t created_at_ms = -1;
    bool searched_everywhere = false;
    int bad_responses = 0;
    std::string last_seen = "not yet listed";
    // The first poll: a restore this client started (or adopted) is looked at one poll
    // interval after it was reported, as it can hardly have ended sooner; any other restore
    // at once, as it may have ended long ago (waiting on it must not cost an interval), and
    // its record then tells the schedule where it stands.
    int64_t delay = 0;
    if (auto reported = reported_at(restore_id)) {
        delay = std::max<int64_t>(0, schedule.first_delay_ms() - elapsed_ms(*reported));
    }
    int64_t poll_duration_ms = 0;  // until one is measured
    for (bool last_look = false;;) {
        const int64_t remaining = call.deadline.remaining_ms();
        // Room for one poll as long as the last two took, within reason.
        const int64_t look_ms = std::clamp<int64_t>(2 * poll_duration_ms, 50, kLastLookMs);
        if (delay >= remaining - look_ms) {
            // The deadline comes before the next poll: one last look just before it.
            delay = std::max<int64_t>(0, remaining - look_ms);
            last_look = true;
        }
        if (!interruptible_sleep(delay, call.deadline, call.cancel)) {
            return make_error(Status::Cancelled,
                              "the wait for restore " + restore_id + " was cancelled (last seen " +
                                  last_seen + ")",
                              Sent::Yes);
        }
        if (call.deadline.expired()) {
            return timed_out(restore_id, last_seen);
        }
        const int64_t sent_ms = local_ms();
        int64_t since_ms = -1;
        if (created_at_ms >= 0) {
            since_ms = created_at_ms - kSinceMarginMs;
        } else if (searched_everywhere) {
            // Not in the whole history a moment ago: if it exists, it is new.
            since_ms = wall_now_ms() + server_clock_offset_ms_.load() - kRecentMs;
        }
        auto record = restore_by_id(call, instance_id, restore_id, since_ms);
        if (!record && record.error().status == Status::NotFound && created_at_ms >= 0) {
            // Seen before, gone from its window: look everywhere before calling it gone.
            record = restore_by_id(call, instance_id, restore_id);
        }
        searched_everywhere = searched_everywhere || since_ms < 0;
        poll_duration_ms = local_ms() - sent_ms;
        if (record) {
            bad_responses = 0;
            const RestoreRecord& r = record.value();
            if (r.created_at_ms >= 0) {
                created_at_ms = r.created_at_ms;
            }
            last_seen = "\"" + r.status + "\" at " +
                        (r.progress.empty() ? std::string("unknown") : r.progress) + "%";
            if (wait.on_progress) {
                wait.on_progress(r);
            }
            if (r.status == "succeed") {
                if (wait.wait_for_instance) {
                    if (auto err =
                            wait_for_instance_running(call, instance_id, schedule.floor_ms())) {
                        return *err;
                    }
                }
                return record;
            }
            if (r.status == "failed") {
                return restore_failed(instance_id, restore_id, r, call.last_request_id);
            }
            PollSample sample;
            sample.sent_ms = sent_ms;
            sample.received_ms = local_ms();
            if (server_clock_known_) {
                sample.date_offset_ms = server_clock_offset_ms_.load();
            }
            sample.status = r.status;
            sample.progress = r.progress_percent;
            sample.created_at_ms = r.created_at_ms;
            sample.updated_at_ms = r.updated_at_ms;
            delay = schedule.after_poll(sample);
            if (config_.log.enabled(LogLevel::Debug)) {
                log(LogLevel::Debug, describe_poll(restore_id, last_seen, schedule, sample, delay));
            }
        } else {
            Error& error = record.error();
            bool not_yet_listed = error.status == Status::NotFound && created_at_ms < 0 &&
                                  elapsed_ms(call.started) < kNotFoundGraceMs;
            bad_responses = error.status == Status::BadResponse ? bad_responses + 1 : 0;
            if (!not_yet_listed && !worth_polling_again(error, bad_responses)) {
                if (error.status == Status::Timeout || error.status == Status::Cancelled ||
                    error.status == Status::BadResponse) {
                    bool named = error.message.find(restore_id) != std::string::npos;
                    error.message +=
                        (named ? std::string() : " while waiting for restore " + restore_id) +
                        " (last seen " + last_seen + ")";
                }
                return std::move(record).error();
            }
            log(LogLevel::Info, "polling restore " + restore_id + " again after: " + error.message);
            delay = schedule.after_failure(local_ms());
        }
        if (last_look || call.deadline.expired()) {
            return timed_out(restore_id, last_seen);
        }
    }
}

}  // namespace dcs::core
