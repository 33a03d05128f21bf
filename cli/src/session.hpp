// What a command that talks to the service works with: the libdcs client built from the
// layered configuration, the run's time budget (--timeout), cancellation on SIGINT/SIGTERM,
// and the output mode.
#pragma once

#include <dcs/dcs.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "args.hpp"
#include "failure.hpp"
#include "handles.hpp"
#include "interrupt.hpp"

namespace dcsctl {

using Clock = std::chrono::steady_clock;

class Session {
   public:
    // Throws ConfigError for a bad configuration file, UsageError for a bad flag, Failure for
    // a configuration the library refuses (missing credentials, a malformed endpoint, ...).
    explicit Session(const ParsedArgs& args);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    [[nodiscard]] const ParsedArgs& args() const { return args_; }
    [[nodiscard]] dcs_client* client() const { return client_.get(); }
    [[nodiscard]] bool json() const { return args_.has("json"); }

    // Options for the next call: what is left of --timeout (the whole command shares one
    // budget, waits included) and the cancel token.
    [[nodiscard]] CallOptionsPtr call_options() const;
    // The same, with what is left until `deadline` as the call's timeout.
    [[nodiscard]] CallOptionsPtr call_options_until(Clock::time_point deadline) const;
    // --begin and --end as a list filter (an empty value filters nothing).
    [[nodiscard]] ListOptionsPtr list_filter() const;
    // When a wait driven by the tool itself must end: --timeout's deadline, else
    // `default_ms` from now.
    [[nodiscard]] Clock::time_point deadline_or(int64_t default_ms) const;
    // --poll-interval, default 2 s.
    [[nodiscard]] int64_t poll_interval_ms() const { return poll_interval_ms_; }
    // Sleeps `ms`, or until `deadline` if that comes first; false when a signal cut it short.
    bool sleep(int64_t ms, Clock::time_point deadline) const;

    // The signal that cancelled the run, or 0.
    [[nodiscard]] int interrupted_by() const;

   private:
    const ParsedArgs& args_;
    std::optional<Clock::time_point> deadline_;
    int64_t poll_interval_ms_ = 2000;
    CancelTokenPtr cancel_;
    ClientPtr client_;
    std::unique_ptr<InterruptWatcher> watcher_;
};

// Milliseconds from now until `deadline` (negative once it has passed).
int64_t remaining_ms(Clock::time_point deadline);

}  // namespace dcsctl
