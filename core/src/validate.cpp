#include "validate.hpp"

#include <string>

namespace dcs::core {
namespace {

constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxRemarkBytes = 128;
constexpr size_t kMaxExcerptChars = 64;
constexpr size_t kTimeFilterDigits = 14;

constexpr size_t kValid = std::string_view::npos;

// Byte offset of the first ill-formed UTF-8 sequence, or kValid. Follows the table of
// well-formed byte sequences in the Unicode standard (section 3.9, table 3-7).
size_t utf8_error_offset(std::string_view s) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto in = [](unsigned char b, unsigned char lo, unsigned char hi) {
        return b >= lo && b <= hi;
    };
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char lead = byte(i);
        size_t length = 0;
        unsigned char second_lo = 0x80;
        unsigned char second_hi = 0xBF;
        if (lead <= 0x7F) {
            length = 1;
        } else if (in(lead, 0xC2, 0xDF)) {
            length = 2;
        } else if (lead == 0xE0) {
            length = 3;
            second_lo = 0xA0;  // below: overlong
        } else if (lead == 0xED) {
            length = 3;
            second_hi = 0x9F;  // above: UTF-16 surrogates
        } else if (in(lead, 0xE1, 0xEF)) {
            length = 3;
        } else if (lead == 0xF0) {
            length = 4;
            second_lo = 0x90;  // below: overlong
        } else if (lead == 0xF4) {
            length = 4;
            second_hi = 0x8F;  // above: beyond U+10FFFF
        } else if (in(lead, 0xF1, 0xF3)) {
            length = 4;
        } else {
            return i;  // 0x80-0xC1 (continuation or overlong lead) or 0xF5-0xFF
        }
        if (length > 1) {
            if (i + length > s.size() || !in(byte(i + 1), second_lo, second_hi)) return i;
            for (size_t k = 2; k < length; ++k) {
                if (!in(byte(i + k), 0x80, 0xBF)) return i;
            }
        }
        i += length;
    }
    return kValid;
}

std::string hex_byte(unsigned char c) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    return std::string("0x") + kHex[c >> 4] + kHex[c & 0x0F];
}

// A quoted excerpt of `value` that is safe to put in a one-line message: printable ASCII as is,
// every other byte as \xNN, at most kMaxExcerptChars characters, "..." when cut short.
std::string excerpt(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    size_t used = 0;
    for (; used < value.size(); ++used) {
        const auto c = static_cast<unsigned char>(value[used]);
        std::string piece;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            piece.assign(1, static_cast<char>(c));
        } else if (c == '"' || c == '\\') {
            piece = std::string("\\") + static_cast<char>(c);
        } else {
            piece = std::string("\\x") + kHex[c >> 4] + kHex[c & 0x0F];
        }
        if (out.size() + piece.size() > kMaxExcerptChars) break;
        out += piece;
    }
    return "\"" + out + (used < value.size() ? "\"..." : "\"");
}

Error invalid(std::string_view name, const std::string& problem) {
    return make_error(Status::InvalidArgument, std::string(name) + " " + problem, Sent::No);
}

bool is_id_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int number_at(std::string_view digits, size_t pos, size_t count) {
    int n = 0;
    for (size_t i = pos; i < pos + count; ++i) n = n * 10 + (digits[i] - '0');
    return n;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

bool is_valid_utf8(std::string_view s) { return utf8_error_offset(s) == kValid; }

std::optional<Error> validate_id(std::string_view name, std::string_view value) {
    if (value.empty()) return invalid(name, "must not be empty");
    if (value.size() > kMaxIdBytes) {
        return invalid(name, "is " + std::to_string(value.size()) + " bytes long; at most " +
                                 std::to_string(kMaxIdBytes) + " are allowed (value starts " +
                                 excerpt(value) + ")");
    }
    for (size_t i = 0; i < value.size(); ++i) {
        if (!is_id_char(value[i])) {
            return invalid(name, "contains a character outside [A-Za-z0-9_-] (" +
                                     hex_byte(static_cast<unsigned char>(value[i])) +
                                     ") at byte offset " + std::to_string(i) + " in " +
                                     excerpt(value));
        }
    }
    return std::nullopt;
}

std::optional<Error> validate_remark(std::string_view name, std::string_view value) {
    if (value.size() > kMaxRemarkBytes) {
        return invalid(name, "is " + std::to_string(value.size()) + " bytes long; at most " +
                                 std::to_string(kMaxRemarkBytes) + " bytes (UTF-8) are allowed");
    }
    if (const size_t bad = utf8_error_offset(value); bad != kValid) {
        return invalid(name, "is not valid UTF-8 (ill-formed sequence at byte offset " +
                                 std::to_string(bad) + " in " + excerpt(value) + ")");
    }
    for (size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c == 0x7F) {
            return invalid(name, "contains the control character " + hex_byte(c) +
                                     " at byte offset " + std::to_string(i));
        }
    }
    return std::nullopt;
}

std::optional<Error> validate_time_filter(std::string_view name, std::string_view value) {
    const auto bad_format = [&] {
        return invalid(name,
                       "must be exactly 14 digits yyyyMMddHHmmss (UTC), got " + excerpt(value));
    };
    if (value.size() != kTimeFilterDigits) return bad_format();
    for (char c : value) {
        if (!is_digit(c)) return bad_format();
    }
    const int year = number_at(value, 0, 4);
    const int month = number_at(value, 4, 2);
    const int day = number_at(value, 6, 2);
    const int hour = number_at(value, 8, 2);
    const int minute = number_at(value, 10, 2);
    const int second = number_at(value, 12, 2);
    // The service stores times since the Unix epoch; an earlier year is surely a mistake.
    if (year < 1970) return invalid(name, "has a year before 1970 in " + excerpt(value));
    if (month < 1 || month > 12) return invalid(name, "has no month " + std::to_string(month));
    if (day < 1 || day > days_in_month(year, month)) {
        return invalid(name, "has no day " + std::to_string(day) + " in " + excerpt(value));
    }
    if (hour > 23 || minute > 59 || second > 59) {
        return invalid(name, "has a time of day out of range in " + excerpt(value));
    }
    return std::nullopt;
}

std::optional<Error> validate_backup_format(std::string_view value) {
    if (value == "rdb" || value == "aof") return std::nullopt;
    return invalid("backup_format", "must be \"rdb\" or \"aof\", got " + excerpt(value));
}

std::optional<Error> validate_backup_type(std::string_view value) {
    if (value == "manual" || value == "auto") return std::nullopt;
    return invalid("backup_type", "must be \"manual\" or \"auto\", got " + excerpt(value));
}

std::optional<Error> validate_duration_ms(std::string_view name, int64_t ms, bool zero_allowed,
                                          int64_t max_ms) {
    if (ms < 0 || (ms == 0 && !zero_allowed) || ms > max_ms) {
        return invalid(name, std::string("must be between ") + (zero_allowed ? "0" : "1") +
                                 " and " + std::to_string(max_ms) + " ms, got " +
                                 std::to_string(ms));
    }
    return std::nullopt;
}

std::optional<Error> validate_attempts(int attempts, bool zero_allowed) {
    if (attempts < (zero_allowed ? 0 : 1) || attempts > kMaxAttempts) {
        return invalid("attempts", std::string("must be between ") + (zero_allowed ? "0" : "1") +
                                       " and " + std::to_string(kMaxAttempts) + ", got " +
                                       std::to_string(attempts));
    }
    return std::nullopt;
}

std::optional<Error> validate_response_cap(size_t bytes) {
    if (bytes < kMinResponseBytes || bytes > kMaxResponseBytes) {
        return invalid("max response bytes",
                       "must be between 1 KiB and 1 GiB, got " + std::to_string(bytes));
    }
    return std::nullopt;
}

std::optional<Error> validate_header_text(std::string_view name, std::string_view value,
                                          size_t max) {
    if (value.size() > max) {
        return invalid(name, "is longer than " + std::to_string(max) + " bytes");
    }
    for (unsigned char c : value) {
        if (c < 0x20 || c >= 0x7f) {
            return invalid(name, "must be printable ASCII");
        }
    }
    return std::nullopt;
}

}  // namespace dcs::core
