// When a failed attempt may be repeated, and how long to wait before it.
#pragma once

#include <cstdint>
#include <random>

#include "config.hpp"
#include "error.hpp"

namespace dcs::core {

// Reads (and deletes, which end in the same state however often they run) may be
// repeated freely. Operations that start work on the service may not: a repeated
// RestoreInstance could start a second restore, a repeated CopyInstance a second backup.
// StartsBackup is StartsWork for CopyInstance, whose own lost attempt shows up as
// "the instance is backuping" rather than "restoring".
enum class Idempotency { Repeatable, StartsWork, StartsBackup };

enum class RetryVerdict {
    Stop,       // give the error to the caller
    Retry,      // wait, then send again
    Reconcile,  // the work may have started: look for it before sending again
};

RetryVerdict retry_verdict(const Error& error, Idempotency kind);

// Exponential backoff with full jitter, at least the server's Retry-After.
// `attempt` counts from 1 (the attempt that just failed).
int64_t backoff_ms(const Error& error, int attempt, const RetryTuning& tuning);

}  // namespace dcs::core
