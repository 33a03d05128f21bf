// Durations on the command line: "300ms", "30s", "1.5m", "2h"; a bare number is seconds.
// Times: RFC 3339 ("2026-11-27T10:00:00Z") or a duration ago ("10m").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dcsctl {

constexpr int64_t kMaxDurationMs = 30LL * 24 * 3600 * 1000;

// Milliseconds, rounded up so that a positive duration never becomes 0. Throws UsageError
// (naming `option`) for anything that is not a positive duration of at most 30 days.
int64_t parse_duration_ms(std::string_view option, std::string_view text);

// The same syntax within [0 or 1 ms, max_ms]: 0 ("0", "0s") is accepted when `zero_allowed`.
int64_t parse_duration_ms(std::string_view option, std::string_view text, bool zero_allowed,
                          int64_t max_ms);

// An instant as epoch milliseconds: an RFC 3339 time with a zone ("2026-11-27T10:00:00Z",
// "2026-11-27T12:00:00.5+02:00") or a duration before `now_ms` ("10m", "1h"). Throws
// UsageError naming `option`.
int64_t parse_time_ms(std::string_view option, std::string_view text, int64_t now_ms);

// RFC 3339 in UTC to the second, rounded down: "2026-11-27T10:00:00Z".
std::string format_rfc3339_utc(int64_t epoch_ms);

}  // namespace dcsctl
