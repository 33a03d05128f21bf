// Durations on the command line: "300ms", "30s", "1.5m", "2h"; a bare number is seconds.
#pragma once

#include <cstdint>
#include <string_view>

namespace dcsctl {

// Milliseconds, rounded up so that a positive duration never becomes 0. Throws UsageError
// (naming `option`) for anything that is not a positive duration of at most 30 days.
int64_t parse_duration_ms(std::string_view option, std::string_view text);

}  // namespace dcsctl
