// Checks of caller-supplied parameters before any network I/O. Each check returns nullopt when
// the value is acceptable, else an InvalidArgument error (sent = No) whose message names the
// parameter and never echoes more than a short, escaped excerpt of the value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "error.hpp"

namespace dcs::core {

// Limits every layer shares (dcs.h states them): a call's timeout, an attempt's timeout, the
// connect timeout; how long a possibly started restore is looked for; attempts per call.
constexpr int64_t kMaxTimeoutMs = 7LL * 24 * 3600 * 1000;
constexpr int64_t kMaxReconcileWindowMs = 3600LL * 1000;
constexpr int kMaxAttempts = 100;

// The response cap's bounds: a DCS answer is never smaller than 1 KiB of headroom needs,
// and more than 1 GiB in memory is a mistake, not a setting.
constexpr size_t kMinResponseBytes = 1024;
constexpr size_t kMaxResponseBytes = size_t{1} << 30;

// A duration in milliseconds: 1..max_ms, or 0 too when `zero_allowed` (meaning "the default").
std::optional<Error> validate_duration_ms(std::string_view name, int64_t ms, bool zero_allowed,
                                          int64_t max_ms);

// Attempts per call: 1..kMaxAttempts, or 0 too when `zero_allowed` ("the client's").
std::optional<Error> validate_attempts(int attempts, bool zero_allowed);

// The largest response body a client accepts: kMinResponseBytes..kMaxResponseBytes.
std::optional<Error> validate_response_cap(size_t bytes);

// Text that ends up in a header or a URL (region, proxy, user agent suffix): printable ASCII,
// at most `max` bytes.
std::optional<Error> validate_header_text(std::string_view name, std::string_view value,
                                          size_t max);

// Project, instance and backup IDs: non-empty, at most 64 bytes, only [A-Za-z0-9_-]. This keeps
// path traversal ("../"), encoded separators ("%2F"), '?', '#' and CR/LF out of request paths.
std::optional<Error> validate_id(std::string_view name, std::string_view value);

// Free-text remarks: at most 128 bytes of valid UTF-8 with no C0 control character (NUL, CR, LF,
// TAB, ...) and no DEL. May be empty.
std::optional<Error> validate_remark(std::string_view name, std::string_view value);

// begin_time / end_time list filters: exactly 14 digits yyyyMMddHHmmss naming a real UTC time.
std::optional<Error> validate_time_filter(std::string_view name, std::string_view value);

// The backup_format of a manual backup: "rdb" or "aof".
std::optional<Error> validate_backup_format(std::string_view value);

// The backup_type of a backup record: "manual" or "auto" (a filter of the backup selector).
std::optional<Error> validate_backup_type(std::string_view value);

// Well-formed UTF-8: no overlong forms, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF,
// no truncated sequences.
bool is_valid_utf8(std::string_view s);

}  // namespace dcs::core
