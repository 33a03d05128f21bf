#include "session.hpp"

#include <algorithm>
#include <cstdio>

#include "duration.hpp"
#include "settings.hpp"

namespace dcsctl {
namespace {

const char* level_name(int level) {
    switch (level) {
        case 1:
            return "error";
        case 2:
            return "warn";
        case 3:
            return "info";
        default:
            return "debug";
    }
}

// --verbose: the core's log lines (which never carry secrets) on stderr.
void log_to_stderr(void* /*user*/, int level, const char* message) {
    std::fprintf(stderr, "dcsctl: [%s] %s\n", level_name(level), message);
}

}  // namespace

Session::Session(const ParsedArgs& args)
    : args_(args), cancel_(std::make_shared<dcs::core::CancelState>()) {
    // Read the budget first: it starts when the command does.
    if (auto timeout = args.get("timeout")) {
        deadline_ = dcs::core::SteadyClock::now() +
                    std::chrono::milliseconds(parse_duration_ms("timeout", *timeout));
    }
    if (auto interval = args.get("poll-interval")) {
        poll_interval_ms_ = parse_duration_ms("poll-interval", *interval);
    }
    dcs::core::ClientConfig config = load_client_config(args);
    config.user_agent_suffix = "dcsctl/" DCSCTL_VERSION;
    if (args.has("verbose")) {
        config.log.fn = log_to_stderr;
        config.log.max_level = static_cast<int>(dcs::core::LogLevel::Debug);
    }
    client_ = take(dcs::core::Client::create(std::move(config)));
    watcher_ = std::make_unique<InterruptWatcher>(cancel_);
}

Session::~Session() = default;

dcs::core::CallOptions Session::call_options() const {
    dcs::core::CallOptions options;
    options.cancel = cancel_;
    if (deadline_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        *deadline_ - dcs::core::SteadyClock::now())
                        .count();
        // At least 1 ms: 0 would mean "the operation's default", not "no time left".
        options.timeout_ms = std::max<int64_t>(left, 1);
    }
    return options;
}

dcs::core::Deadline Session::deadline_or(int64_t default_ms) const {
    return deadline_ ? dcs::core::Deadline(*deadline_) : dcs::core::Deadline::after_ms(default_ms);
}

int Session::interrupted_by() const { return watcher_ ? watcher_->signal_received() : 0; }

}  // namespace dcsctl
