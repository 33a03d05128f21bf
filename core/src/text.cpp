// Text and time helpers (text.hpp).
#include "text.hpp"

#include <algorithm>
#include <ctime>
#include <iterator>

namespace dcs::core {
namespace {

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_ascii_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string utc_compact(int64_t epoch_ms) {
    auto seconds = static_cast<std::time_t>(std::max<int64_t>(epoch_ms, 0) / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[16];
    size_t length = std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &parts);
    return std::string(text, length);
}

UtcTime utc_time(int64_t epoch_seconds) {
    const int64_t day = (epoch_seconds >= 0 ? epoch_seconds : epoch_seconds - 86399) / 86400;
    const int64_t second_of_day = epoch_seconds - day * 86400;
    // Howard Hinnant's civil_from_days: eras of 400 years, years starting in March so that
    // the leap day is the last day of a year.
    const int64_t z = day + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t day_of_era = z - era * 146097;
    const int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const int64_t month_index = (5 * day_of_year + 2) / 153;  // March = 0
    const auto month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
    UtcTime t{};
    t.year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    t.month = month;
    t.day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
    t.hour = static_cast<int>(second_of_day / 3600);
    t.minute = static_cast<int>(second_of_day / 60 % 60);
    t.second = static_cast<int>(second_of_day % 60);
    return t;
}

int64_t days_from_civil(int64_t year, int month, int day) {
    // The inverse of utc_time's calendar part.
    const int64_t y = month <= 2 ? year - 1 : year;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t year_of_era = y - era * 400;
    const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

int64_t parse_imf_fixdate(std::string_view text) {
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, so every field is at a fixed offset.
    constexpr std::string_view kShape = "Www, DD Mmm YYYY HH:MM:SS GMT";
    if (text.size() != kShape.size()) return -1;
    const auto number = [&](size_t at, size_t digits) -> int {
        int n = 0;
        for (size_t i = at; i < at + digits; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            n = n * 10 + (text[i] - '0');
        }
        return n;
    };
    static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (std::find(std::begin(kDays), std::end(kDays), text.substr(0, 3)) == std::end(kDays) ||
        text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
        text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
        return -1;
    }
    const auto month_name = std::find(std::begin(kMonths), std::end(kMonths), text.substr(8, 3));
    if (month_name == std::end(kMonths)) return -1;
    const int month = static_cast<int>(month_name - std::begin(kMonths)) + 1;
    const int day = number(5, 2);
    const int year = number(12, 4);
    const int hour = number(17, 2);
    const int minute = number(20, 2);
    const int second = number(23, 2);
    // A leap second (:60) is left to the general parser, like every other oddity.
    if (day < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
        second > 59) {
        return -1;
    }
    const int64_t days = days_from_civil(year, month, day);
    if (utc_time(days * 86400).day != day) return -1;  // 31 Apr, 29 Feb 2023, ...
    return days * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second;
}

}  // namespace dcs::core
