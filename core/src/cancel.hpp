// Cancellation and deadlines shared by every call.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace dcs::core {

using SteadyClock = std::chrono::steady_clock;

// A cancel flag that any thread may raise. Sleeps wait on a condition variable, so a
// backoff or a poll interval ends as soon as the flag is raised, not when it expires.
class CancelState {
   public:
    void cancel();
    [[nodiscard]] bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
    // Sleeps until `until` or cancellation; returns false if cancelled.
    bool sleep_until(SteadyClock::time_point until) const;

   private:
    std::atomic<bool> cancelled_{false};
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
};

using CancelPtr = std::shared_ptr<CancelState>;

// The point in time by which a whole call (retries and backoff included) must end.
class Deadline {
   public:
    explicit Deadline(SteadyClock::time_point at) : at_(at) {}
    static Deadline after_ms(int64_t ms) {
        return Deadline(SteadyClock::now() + std::chrono::milliseconds(ms));
    }
    [[nodiscard]] SteadyClock::time_point at() const { return at_; }
    [[nodiscard]] int64_t remaining_ms() const;
    [[nodiscard]] bool expired() const { return remaining_ms() <= 0; }

   private:
    SteadyClock::time_point at_;
};

// Sleeps for `ms` unless the deadline comes first or the call is cancelled.
// Returns false when the sleep was cut short by cancellation.
bool interruptible_sleep(int64_t ms, const Deadline& deadline, const CancelState* cancel);

}  // namespace dcs::core
