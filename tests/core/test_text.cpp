// Tests of the calendar arithmetic and the HTTP date parser of text.hpp, against the C
// library's gmtime_r and libcurl's curl_getdate as references.
#include <curl/curl.h>
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "text.hpp"

using namespace dcs::core;

namespace {

// 1900-01-01 to 2200-01-01, every 30011 s (a prime, so the time of day drifts): leap years,
// century years (1900 and 2100 are not leap years, 2000 is) and times before the epoch.
constexpr int64_t kFirst = -2208988800;
constexpr int64_t kLast = 7258118400;
constexpr int64_t kStep = 30011;

std::string imf_fixdate(std::time_t t) {
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[64];
    // %a and %b are the C locale's English names, as the test process never sets a locale.
    return std::string(text, std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc));
}

}  // namespace

TEST_CASE("utc_time and days_from_civil agree with gmtime_r") {
    size_t checked = 0;
    for (int64_t t = kFirst; t < kLast; t += kStep) {
        const auto seconds = static_cast<std::time_t>(t);
        std::tm want{};
        gmtime_r(&seconds, &want);
        const UtcTime got = utc_time(t);
        if (got.year != want.tm_year + 1900 || got.month != want.tm_mon + 1 ||
            got.day != want.tm_mday || got.hour != want.tm_hour || got.minute != want.tm_min ||
            got.second != want.tm_sec) {
            FAIL("utc_time(", t, ") differs from gmtime_r");
        }
        const int64_t day = (t >= 0 ? t : t - 86399) / 86400;
        if (days_from_civil(got.year, got.month, got.day) != day) {
            FAIL("days_from_civil of utc_time(", t, ") is not its day");
        }
        ++checked;
    }
    CHECK(checked > 300000);
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28) == 2);  // 2000 is leap
    CHECK(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28) == 1);  // 2100 is not
}

TEST_CASE("parse_imf_fixdate reads what curl_getdate reads, for every IMF-fixdate") {
    size_t checked = 0;
    for (int64_t t = kFirst; t < kLast; t += kStep) {
        const std::string text = imf_fixdate(static_cast<std::time_t>(t));
        if (parse_imf_fixdate(text) != t || curl_getdate(text.c_str(), nullptr) != t) {
            FAIL("parse_imf_fixdate(\"", text, "\") = ", parse_imf_fixdate(text), ", want ", t);
        }
        ++checked;
    }
    CHECK(checked > 300000);
    CHECK(parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);  // RFC 9110's example
}

TEST_CASE("parse_imf_fixdate leaves every other form to the general parser") {
    for (const char* text : {
             "",
             "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850, obsolete
             "Sun Nov  6 08:49:37 1994",        // asctime, obsolete
             "Sun, 06 Nov 1994 08:49:37 UTC",   // not GMT
             "Sun, 06 Nov 1994 08:49:37 gmt",   // the names are case-sensitive
             "sun, 06 Nov 1994 08:49:37 GMT",
             "Sun, 06 nov 1994 08:49:37 GMT",
             "Sun, 06 Nox 1994 08:49:37 GMT",
             "Xyz, 06 Nov 1994 08:49:37 GMT",
             "Sun, 6 Nov 1994 08:49:37 GMT",    // two-digit day required
             "Sun, 06 Nov 1994 08:49:37 GMT ",  // trailing space
             "Sun, 06 Nov 1994 24:00:00 GMT",   // hour out of range
             "Sun, 06 Nov 1994 08:60:00 GMT",   // minute out of range
             "Sun, 06 Nov 1994 23:59:60 GMT",   // a leap second
             "Sun, 00 Nov 1994 08:49:37 GMT",   // day 0
             "Sun, 31 Nov 1994 08:49:37 GMT",   // November has 30 days
             "Wed, 29 Feb 2023 00:00:00 GMT",   // 2023 is not a leap year
             "Sun, 06 Nov 19x4 08:49:37 GMT",
             "Sun; 06 Nov 1994 08:49:37 GMT",
         }) {
        CAPTURE(text);
        CHECK(parse_imf_fixdate(text) == -1);
    }
    CHECK(parse_imf_fixdate("Thu, 29 Feb 2024 00:00:00 GMT") == 1709164800);
}
