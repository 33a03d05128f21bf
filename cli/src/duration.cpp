#include "duration.hpp"

#include <cctype>
#include <cmath>
#include <ctime>
#include <string>

#include "args.hpp"

namespace dcsctl {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
    year -= month <= 2 ? 1 : 0;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const int64_t year_of_era = year - era * 400;
    const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

int64_t days_in_month(int64_t year, int64_t month) {
    static const int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at `pos`; false when they are not all digits.
bool read_digits(std::string_view text, size_t& pos, size_t count, int64_t& value) {
    if (pos + count > text.size()) {
        return false;
    }
    value = 0;
    for (size_t i = 0; i < count; ++i) {
        char c = text[pos + i];
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return true;
}

bool expect_char(std::string_view text, size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// RFC 3339 date-time with a mandatory zone; nullopt-like false when malformed.
bool parse_rfc3339_ms(std::string_view text, int64_t& epoch_ms) {
    size_t pos = 0;
    int64_t year = 0;
    int64_t month = 0;
    int64_t day = 0;
    int64_t hour = 0;
    int64_t minute = 0;
    int64_t second = 0;
    if (!read_digits(text, pos, 4, year) || !expect_char(text, pos, '-') ||
        !read_digits(text, pos, 2, month) || !expect_char(text, pos, '-') ||
        !read_digits(text, pos, 2, day)) {
        return false;
    }
    if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) {
        return false;
    }
    ++pos;
    if (!read_digits(text, pos, 2, hour) || !expect_char(text, pos, ':') ||
        !read_digits(text, pos, 2, minute) || !expect_char(text, pos, ':') ||
        !read_digits(text, pos, 2, second)) {
        return false;
    }
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hour > 23 || minute > 59 || second > 59) {
        return false;
    }
    int64_t fraction_ms = 0;
    if (expect_char(text, pos, '.')) {
        size_t digits = 0;
        int64_t scale = 100;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
            fraction_ms += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
            ++digits;
        }
        if (digits == 0) {
            return false;
        }
    }
    int64_t offset_minutes = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int64_t sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int64_t offset_hours = 0;
        int64_t offset_mins = 0;
        if (!read_digits(text, pos, 2, offset_hours) || !expect_char(text, pos, ':') ||
            !read_digits(text, pos, 2, offset_mins) || offset_hours > 23 || offset_mins > 59) {
            return false;
        }
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
    } else {
        return false;  // a time without a zone is ambiguous
    }
    if (pos != text.size()) {
        return false;
    }
    int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                      second - offset_minutes * 60;
    epoch_ms = seconds * 1000 + fraction_ms;
    return epoch_ms >= 0;
}

// "30 days", "1 hour", "1500 ms": a limit in a message.
std::string limit_text(int64_t max_ms) {
    constexpr int64_t kHourMs = int64_t{3600} * 1000;
    constexpr int64_t kDayMs = 24 * kHourMs;
    if (max_ms % kDayMs == 0) {
        int64_t days = max_ms / kDayMs;
        return std::to_string(days) + (days == 1 ? " day" : " days");
    }
    if (max_ms % kHourMs == 0) {
        int64_t hours = max_ms / kHourMs;
        return std::to_string(hours) + (hours == 1 ? " hour" : " hours");
    }
    return std::to_string(max_ms) + " ms";
}

}  // namespace

int64_t parse_duration_ms(std::string_view option, std::string_view text, bool zero_allowed,
                          int64_t max_ms) {
    auto bad = [&] {
        return UsageError("--" + std::string(option) + ": '" + std::string(text) +
                          "' is not a duration (examples: 300ms, 30s, 5m, 1h)");
    };
    size_t digits_end = 0;
    bool seen_dot = false;
    while (digits_end < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits_end])) != 0 ||
            (text[digits_end] == '.' && !seen_dot))) {
        seen_dot = seen_dot || text[digits_end] == '.';
        ++digits_end;
    }
    std::string number(text.substr(0, digits_end));
    std::string_view unit = text.substr(digits_end);
    if (number.empty() || number == ".") {
        throw bad();
    }
    double scale = 0;
    if (unit == "ms") {
        scale = 1;
    } else if (unit.empty() || unit == "s") {
        scale = 1000;
    } else if (unit == "m") {
        scale = 60 * 1000;
    } else if (unit == "h") {
        scale = 3600 * 1000;
    } else {
        throw bad();
    }
    // More digits than any allowed duration has: a limit error, and std::stod never overflows.
    constexpr size_t kMaxDigits = 15;
    double ms = number.size() > kMaxDigits ? static_cast<double>(max_ms) + 1
                                           : std::ceil(std::stod(number) * scale);
    bool too_small = zero_allowed ? ms < 0 : !(ms > 0);
    if (too_small || ms > static_cast<double>(max_ms)) {
        const char* what = zero_allowed ? " must be at most " : " must be positive and at most ";
        throw UsageError("--" + std::string(option) + what + limit_text(max_ms));
    }
    return static_cast<int64_t>(ms);
}

int64_t parse_duration_ms(std::string_view option, std::string_view text) {
    return parse_duration_ms(option, text, false, kMaxDurationMs);
}

int64_t parse_time_ms(std::string_view option, std::string_view text, int64_t now_ms) {
    int64_t epoch_ms = 0;
    if (parse_rfc3339_ms(text, epoch_ms)) {
        return epoch_ms;
    }
    bool looks_like_time = text.size() >= 5 && text[4] == '-';
    if (!looks_like_time) {
        try {
            return now_ms - parse_duration_ms(option, text, true, kMaxDurationMs);
        } catch (const UsageError&) {
            // Fall through to the message that names both forms.
        }
    }
    throw UsageError("--" + std::string(option) + ": '" + std::string(text) +
                     "' is neither an RFC 3339 time with a zone (2026-11-27T10:00:00Z) nor a "
                     "duration ago of at most 30 days (10m, 2h)");
}

std::string format_rfc3339_utc(int64_t epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms < 0 ? 0 : epoch_ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

}  // namespace dcsctl
