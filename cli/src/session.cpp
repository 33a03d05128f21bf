#include "session.hpp"

#include <algorithm>
#include <cstdio>

#include "duration.hpp"
#include "settings.hpp"

namespace dcsctl {
namespace {

const char* level_name(int level) {
    switch (level) {
        case DCS_LOG_ERROR:
            return "error";
        case DCS_LOG_WARN:
            return "warn";
        case DCS_LOG_INFO:
            return "info";
        default:
            return "debug";
    }
}

// --verbose: libdcs's log lines (which never carry secrets) on stderr.
void log_to_stderr(void* /*user*/, int level, const char* message) {
    std::fprintf(stderr, "dcsctl: [%s] %s\n", level_name(level), message);
}

// The call's timeout: what is left until `deadline`, at least 1 ms (0 would mean "the
// operation's default", not "no time left").
void set_timeout_until(dcs_call_options* options, Clock::time_point deadline) {
    check(dcs_call_options_set_timeout_ms, options, std::max<int64_t>(remaining_ms(deadline), 1));
}

}  // namespace

int64_t remaining_ms(Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
}

Session::Session(const ParsedArgs& args)
    : args_(args), cancel_(make<CancelTokenPtr>(dcs_cancel_token_new)) {
    // Read the budget first: it starts when the command does.
    if (auto timeout = args.get("timeout")) {
        deadline_ =
            Clock::now() + std::chrono::milliseconds(parse_duration_ms("timeout", *timeout));
    }
    if (auto interval = args.get("poll-interval")) {
        poll_interval_ms_ = parse_duration_ms("poll-interval", *interval);
    }
    ClientOptionsPtr options = load_client_options(args);
    check(dcs_client_options_set_user_agent_suffix, options.get(), "dcsctl/" DCS_VERSION_STRING);
    if (args.has("verbose")) {
        check(dcs_client_options_set_log_callback, options.get(), log_to_stderr, nullptr,
              static_cast<int>(DCS_LOG_DEBUG));
    }
    client_ = make<ClientPtr>(dcs_client_new, options.get());
    watcher_ = std::make_unique<InterruptWatcher>(cancel_.get());
}

Session::~Session() = default;

CallOptionsPtr Session::call_options() const {
    auto options = make<CallOptionsPtr>(dcs_call_options_new);
    check(dcs_call_options_set_cancel_token, options.get(), cancel_.get());
    if (deadline_) {
        set_timeout_until(options.get(), *deadline_);
    }
    return options;
}

CallOptionsPtr Session::call_options_until(Clock::time_point deadline) const {
    auto options = call_options();
    set_timeout_until(options.get(), deadline);
    return options;
}

ListOptionsPtr Session::list_filter() const {
    auto filter = make<ListOptionsPtr>(dcs_list_options_new);
    if (auto begin = args_.get("begin"); begin && !begin->empty()) {
        check(dcs_list_options_set_begin_time, filter.get(), begin->c_str());
    }
    if (auto end = args_.get("end"); end && !end->empty()) {
        check(dcs_list_options_set_end_time, filter.get(), end->c_str());
    }
    return filter;
}

Clock::time_point Session::deadline_or(int64_t default_ms) const {
    return deadline_ ? *deadline_ : Clock::now() + std::chrono::milliseconds(default_ms);
}

bool Session::sleep(int64_t ms, Clock::time_point deadline) const {
    return watcher_->sleep_until(
        std::min(Clock::now() + std::chrono::milliseconds(std::max<int64_t>(ms, 0)), deadline));
}

int Session::interrupted_by() const { return watcher_ ? watcher_->signal_received() : 0; }

}  // namespace dcsctl
