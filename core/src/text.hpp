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

// The UTC calendar fields of a Unix time in seconds (proleptic Gregorian calendar; negative
// times are before 1970). Pure arithmetic: unlike gmtime_r it takes no process-wide lock.
struct UtcTime {
    int64_t year;
    int month;  // 1-12
    int day;    // 1-31
    int hour;
    int minute;
    int second;
};
UtcTime utc_time(int64_t epoch_seconds);

// Days from 1970-01-01 to the given proleptic Gregorian date (negative before it). The month
// and day are not checked.
int64_t days_from_civil(int64_t year, int month, int day);

// An HTTP date in IMF-fixdate form, the one every current server sends
// ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 section 5.6.7), as Unix seconds; -1 for any other
// text, the obsolete RFC 850 and asctime forms included, which a general parser (curl_getdate)
// can still read. A fraction of curl_getdate's cost for the common case.
int64_t parse_imf_fixdate(std::string_view text);

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
