// SIGINT/SIGTERM turn into a clean cancellation: the signal handler only writes the signal
// number to a self-pipe (async-signal-safe); a watcher thread reads it and raises the
// CancelState, which ends the current request and any backoff or poll sleep at once.
// A second signal of the same kind kills the process the default way.
#pragma once

#include <atomic>
#include <thread>

#include "cancel.hpp"

namespace dcsctl {

class InterruptWatcher {
   public:
    explicit InterruptWatcher(dcs::core::CancelPtr cancel);
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

    // The signal that cancelled the run, or 0.
    [[nodiscard]] int signal_received() const { return signal_.load(); }

   private:
    void watch();

    dcs::core::CancelPtr cancel_;
    std::atomic<int> signal_{0};
    int pipe_[2] = {-1, -1};
    std::thread thread_;
};

}  // namespace dcsctl
