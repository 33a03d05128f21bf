#include "retry.hpp"

#include <algorithm>

#include "http_errors.hpp"

namespace dcs::core {

RetryVerdict retry_verdict(const Error& error, Idempotency kind) {
    switch (error.status) {
        case Status::Throttled:
            // The gateway refused the request before the service saw it.
            return RetryVerdict::Retry;
        case Status::Busy:
            // A busy code starts nothing. "The instance is restoring" after a RestoreInstance
            // is another caller's restore: an attempt of this call that may have reached the
            // service ends the call (it is never posted again), and libcurl may not resend it.
            // Likewise "the instance is backuping" after a CopyInstance: libcurl resends a
            // request whose kept-alive connection died after the service took it, and a
            // retry once that backup ends would start a second one.
            if (kind == Idempotency::StartsBackup && is_backuping_code(error.service_code)) {
                return RetryVerdict::Stop;
            }
            return RetryVerdict::Retry;
        case Status::Transport:
            if (error.permanent) {
                return RetryVerdict::Stop;  // a certificate that fails verification stays so
            }
            if (kind == Idempotency::Repeatable || error.sent == Sent::No) {
                return RetryVerdict::Retry;
            }
            return RetryVerdict::Reconcile;
        case Status::Server:
            return kind == Idempotency::Repeatable ? RetryVerdict::Retry : RetryVerdict::Reconcile;
        case Status::BadResponse:
            // A 2xx we could not read: for a read, ask again; for a restore, it started.
            if (kind != Idempotency::Repeatable) {
                return RetryVerdict::Reconcile;
            }
            return error.http_status >= 200 && error.http_status < 300 ? RetryVerdict::Retry
                                                                       : RetryVerdict::Stop;
        case Status::Timeout:
            // Only the attempt's limit passed: the call has time left. A request that left
            // and was never answered may have been carried out.
            if (error.attempt_timed_out) {
                return kind == Idempotency::Repeatable || error.sent == Sent::No
                           ? RetryVerdict::Retry
                           : RetryVerdict::Reconcile;
            }
            // The call's deadline has passed: there is no time left for anything else.
            return RetryVerdict::Stop;
        default:
            return RetryVerdict::Stop;
    }
}

int64_t backoff_ms(const Error& error, int attempt, const RetryTuning& tuning) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    int64_t base =
        error.status == Status::Busy ? tuning.busy_backoff_base_ms : tuning.backoff_base_ms;
    int shift = std::clamp(attempt - 1, 0, 20);
    int64_t ceiling = std::min(tuning.backoff_cap_ms, base << shift);
    // Full jitter spreads the retries of many clients that failed together; a floor of a
    // quarter keeps a single client from hammering the service.
    std::uniform_int_distribution<int64_t> jitter(ceiling / 4, std::max<int64_t>(ceiling, 1));
    int64_t wait = jitter(rng);
    if (error.retry_after_ms >= 0) {
        wait = std::max(wait, error.retry_after_ms);
    }
    return wait;
}

}  // namespace dcs::core
