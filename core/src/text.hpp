// Small text and time helpers that several parts of the core need: trimming, the service's
// compact UTC time format, and elapsed milliseconds. One home, so they cannot drift apart.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "cancel.hpp"

namespace dcs::core {

// Without leading and trailing ASCII white space (space, TAB, CR, LF, FF, VT): what HTTP
// header values and the signer's canonical headers need; never locale-dependent.
std::string_view trim(std::string_view s);

// Epoch milliseconds as UTC "yyyyMMddHHmmss", the list filters' format (negative = the epoch).
std::string utc_compact(int64_t epoch_ms);

// Milliseconds since the Unix epoch of a wall-clock time point.
inline int64_t epoch_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Milliseconds since `since` on the monotonic clock.
inline int64_t elapsed_ms(SteadyClock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - since)
        .count();
}

}  // namespace dcs::core
