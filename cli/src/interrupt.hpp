// SIGINT/SIGTERM turn into a clean cancellation: the signal handler only writes the signal
// number to a self-pipe (async-signal-safe); a watcher thread reads it and cancels the run's
// dcs_cancel_token (which is not async-signal-safe, so never from the handler), which ends the
// current request and any backoff or poll sleep of libdcs at once, and wakes the tool's own
// sleeps. A second signal of the same kind kills the process the default way.
#pragma once

#include <dcs/dcs.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace dcsctl {

class InterruptWatcher {
   public:
    // `cancel` is borrowed: it must outlive the watcher.
    explicit InterruptWatcher(dcs_cancel_token* cancel);
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

    // The signal that cancelled the run, or 0.
    [[nodiscard]] int signal_received() const { return signal_.load(); }

    // Sleeps until `until` unless a signal comes first; false when one did (or had already).
    bool sleep_until(std::chrono::steady_clock::time_point until);

   private:
    void watch();

    dcs_cancel_token* cancel_;
    std::atomic<int> signal_{0};
    std::mutex mu_;
    std::condition_variable woken_;
    int pipe_[2] = {-1, -1};
    std::thread thread_;
};

}  // namespace dcsctl
