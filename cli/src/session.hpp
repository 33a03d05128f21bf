// What a command that talks to the service works with: the client built from the layered
// configuration, the run's time budget (--timeout), cancellation on SIGINT/SIGTERM, and the
// output mode.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "args.hpp"
#include "client.hpp"
#include "interrupt.hpp"

namespace dcsctl {

// A failed operation; main() reports it and turns it into the exit code.
struct Failure {
    dcs::core::Error error;
    // What to do next, printed on stderr after the error line (e.g. the command that tells
    // whether an unresolved restore started); "" = nothing to add.
    std::string hint = {};
};

class Session {
   public:
    // Throws ConfigError for a bad configuration file, Failure for a configuration the
    // client refuses (missing credentials, a malformed endpoint, ...).
    explicit Session(const ParsedArgs& args);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    [[nodiscard]] const ParsedArgs& args() const { return args_; }
    dcs::core::Client& client() { return *client_; }
    [[nodiscard]] bool json() const { return args_.has("json"); }

    // Options for the next call: what is left of --timeout (the whole command shares one
    // budget, waits included) and the cancel flag.
    [[nodiscard]] dcs::core::CallOptions call_options() const;
    [[nodiscard]] const dcs::core::CancelPtr& cancel() const { return cancel_; }
    // When a wait driven by the tool itself must end: --timeout's deadline, else
    // `default_ms` from now.
    [[nodiscard]] dcs::core::Deadline deadline_or(int64_t default_ms) const;
    // --poll-interval, default 2 s.
    [[nodiscard]] int64_t poll_interval_ms() const { return poll_interval_ms_; }

    // The signal that cancelled the run, or 0.
    [[nodiscard]] int interrupted_by() const;

    // The value, or throws Failure.
    template <class T>
    T take(dcs::core::Result<T> result) {
        if (!result) {
            throw Failure{std::move(result).error()};
        }
        return std::move(result).value();
    }

   private:
    const ParsedArgs& args_;
    std::optional<dcs::core::SteadyClock::time_point> deadline_;
    int64_t poll_interval_ms_ = 2000;
    dcs::core::CancelPtr cancel_;
    std::unique_ptr<dcs::core::Client> client_;
    std::unique_ptr<InterruptWatcher> watcher_;
};

}  // namespace dcsctl
