// Tests of the pre-flight parameter checks: every rejection class, the accepted edge cases, and
// the shape of the error messages (named parameter, no raw or long echo of the value).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "error.hpp"
#include "validate.hpp"

using namespace dcs::core;

namespace {

const std::string kOneMegabyte(1 << 20, 'a');

std::string repeat(std::string_view unit, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i) out += unit;
    return out;
}

// Every rejection must be an InvalidArgument that was never sent, name the parameter, and keep
// the message one short printable line whatever the value was.
void check_rejection(const std::optional<Error>& error, std::string_view name) {
    REQUIRE(error.has_value());
    CHECK(error->status == Status::InvalidArgument);
    CHECK(error->sent == Sent::No);
    CHECK(error->message.rfind(std::string(name) + " ", 0) == 0);
    CHECK(error->message.size() <= 200);
    const bool printable = std::all_of(error->message.begin(), error->message.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    CHECK_MESSAGE(printable, "non-printable byte in: ", error->message);
    CHECK(error->message.find(repeat("a", 65)) == std::string::npos);
}

}  // namespace

TEST_CASE("validate_id accepts IDs made of [A-Za-z0-9_-] up to 64 bytes") {
    for (const auto& id : std::vector<std::string>{"a1b2c3d4-e5f6-4789-abcd-ef0123456789",
                                                   "0123456789abcdef0123456789abcdef", "A", "_",
                                                   "-", "Z_z-9", repeat("x", 64)}) {
        CAPTURE(id);
        CHECK_FALSE(validate_id("instance_id", id).has_value());
    }
}

TEST_CASE("validate_id rejects every class of bad ID") {
    const std::vector<std::string> bad = {
        "",                        // empty
        repeat("a", 65),           // one byte too long
        kOneMegabyte,              // huge
        "../etc",                  // traversal
        "..",                      // traversal
        "a/b",                     // path separator
        "a%2Fb",                   // encoded separator
        "a?b",                     // query
        "a#b",                     // fragment
        "a\r\nX-Evil: 1",          // header / request-line injection
        "id\n",                    // trailing newline
        std::string("ab\0cd", 5),  // embedded NUL
        "a b",                     // space
        "a.b",                     // dot
        "caf\xC3\xA9",             // non-ASCII letter
        "\xC3\x28",                // invalid UTF-8
        "a+b",                     // plus
    };
    for (const auto& id : bad) {
        CAPTURE(id.substr(0, 80));
        check_rejection(validate_id("instance_id", id), "instance_id");
    }
}

TEST_CASE("validate_id messages say what is wrong and where") {
    CHECK(validate_id("backup_id", "")->message == "backup_id must not be empty");
    const auto slash = validate_id("instance_id", "abc/def");
    REQUIRE(slash);
    CHECK(slash->message.find("outside [A-Za-z0-9_-]") != std::string::npos);
    CHECK(slash->message.find("0x2F") != std::string::npos);
    CHECK(slash->message.find("byte offset 3") != std::string::npos);
    const auto nul = validate_id("instance_id", std::string("ab\0", 3));
    REQUIRE(nul);
    CHECK(nul->message.find("0x00") != std::string::npos);
    CHECK(nul->message.find("\\x00") != std::string::npos);  // escaped, not raw
    const auto huge = validate_id("instance_id", kOneMegabyte);
    REQUIRE(huge);
    CHECK(huge->message.find("1048576 bytes") != std::string::npos);
    CHECK(huge->message.find("...") != std::string::npos);
}

TEST_CASE("validate_remark accepts up to 128 bytes of printable UTF-8") {
    const std::string multibyte_128 = repeat("\xE6\x81\xA2", 42) + "ab";  // 42 x 3 + 2 bytes
    REQUIRE(multibyte_128.size() == 128);
    for (const auto& remark :
         {std::string(), std::string("restore instance"), repeat("r", 128), multibyte_128,
          std::string("nightly \"restore\" \xE6\x81\xA2\xE5\xA4\x8D \xE2\x9C\x93"),
          std::string("emoji \xF0\x9F\x98\x80"),
          std::string("\\ back\\slash, 'quotes' & <tags>")}) {
        CAPTURE(remark);
        CHECK_FALSE(validate_remark("remark", remark).has_value());
    }
}

TEST_CASE("validate_remark rejects long, ill-formed and control-character remarks") {
    const std::vector<std::string> bad = {
        repeat("r", 129),                // one byte too long
        repeat("\xE6\x81\xA2", 43),      // 129 bytes in 43 characters
        kOneMegabyte,                    // huge
        "line\nbreak",                   // LF
        "carriage\rreturn",              // CR
        "tab\there",                     // TAB is a C0 control too
        std::string("nul\0inside", 10),  // embedded NUL
        "del\x7F",                       // DEL
        "esc\x1B[31m",                   // terminal escape
        "\x80",                          // lone continuation byte
        "\xC0\xAF",                      // overlong '/'
        "\xE0\x80\xAF",                  // overlong, 3 bytes
        "\xF0\x80\x80\xAF",              // overlong, 4 bytes
        "\xED\xA0\x80",                  // surrogate U+D800
        "\xF4\x90\x80\x80",              // U+110000
        "\xF5\x80\x80\x80",              // lead byte beyond U+10FFFF
        "\xE6\x81",                      // truncated sequence
        "\xFF",                          // never valid
    };
    for (const auto& remark : bad) {
        CAPTURE(remark.substr(0, 80));
        check_rejection(validate_remark("remark", remark), "remark");
    }
}

TEST_CASE("validate_remark messages name the problem") {
    CHECK(validate_remark("remark", repeat("r", 129))->message.find("129 bytes") !=
          std::string::npos);
    CHECK(validate_remark("remark", "a\nb")->message.find("0x0A at byte offset 1") !=
          std::string::npos);
    CHECK(validate_remark("remark", "ok\xC0\xAF")->message.find("UTF-8") != std::string::npos);
}

TEST_CASE("is_valid_utf8 follows the Unicode well-formedness table") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII"));
    CHECK(is_valid_utf8(std::string("\0", 1)));      // NUL is well-formed UTF-8
    CHECK(is_valid_utf8("\xC2\x80"));                // U+0080, smallest 2-byte
    CHECK(is_valid_utf8("\xE0\xA0\x80"));            // U+0800, smallest 3-byte
    CHECK(is_valid_utf8("\xED\x9F\xBF"));            // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8("\xEE\x80\x80"));            // U+E000, just above them
    CHECK(is_valid_utf8("\xF0\x90\x80\x80"));        // U+10000, smallest 4-byte
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF, the largest
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong
    CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // surrogate U+DFFF
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(is_valid_utf8("\xC2"));              // truncated at the end
    CHECK_FALSE(is_valid_utf8("\xC2x"));             // bad continuation
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));          // truncated 3-byte
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98"));      // truncated 4-byte
    CHECK_FALSE(is_valid_utf8("\xFE\xFF"));
}

TEST_CASE("validate_time_filter accepts real yyyyMMddHHmmss times") {
    for (const char* t : {"20240101000000", "20170718235959", "20240229120000", "20000229000000",
                          "19700101000000", "99991231235959"}) {
        CAPTURE(t);
        CHECK_FALSE(validate_time_filter("begin_time", t).has_value());
    }
}

TEST_CASE("validate_time_filter rejects malformed and impossible times") {
    const std::vector<std::string> bad = {
        "",                  // empty
        "2024010100000",     // 13 digits
        "202401010000000",   // 15 digits
        "2024-01-01T00:00",  // another format
        "2024010100000a",    // non-digit
        " 20240101000000",   // padded
        "2024010100000\n",   // trailing newline
        std::string("2024010100\0"
                    "000",
                    14),   // embedded NUL
        "19691231235959",  // before the epoch
        "20240001000000",  // month 0
        "20241301000000",  // month 13
        "20240100000000",  // day 0
        "20240132000000",  // day 32
        "20240431000000",  // 31 April
        "20230229000000",  // 29 February in a common year
        "21000229000000",  // 2100 is not a leap year
        "20240101240000",  // hour 24
        "20240101006000",  // minute 60
        "20240101000060",  // second 60
        kOneMegabyte,
    };
    for (const auto& t : bad) {
        CAPTURE(t.substr(0, 80));
        check_rejection(validate_time_filter("end_time", t), "end_time");
    }
}

TEST_CASE("validate_backup_format accepts exactly rdb and aof") {
    CHECK_FALSE(validate_backup_format("rdb").has_value());
    CHECK_FALSE(validate_backup_format("aof").has_value());
    for (const auto& f :
         {std::string(), std::string("RDB"), std::string("Aof"), std::string("json"),
          std::string("rdb "), std::string("rdb\0", 4), kOneMegabyte}) {
        CAPTURE(f.substr(0, 80));
        check_rejection(validate_backup_format(f), "backup_format");
    }
}

TEST_CASE("status_name names every status and tolerates unknown values") {
    CHECK(std::string(status_name(Status::Ok)) == "ok");
    CHECK(std::string(status_name(Status::InvalidArgument)) == "invalid argument");
    CHECK(std::string(status_name(Status::Auth)) == "authentication failed");
    CHECK(std::string(status_name(Status::NotFound)) == "not found");
    CHECK(std::string(status_name(Status::Throttled)) == "throttled");
    CHECK(std::string(status_name(Status::Busy)) == "busy");
    CHECK(std::string(status_name(Status::Server)) == "server error");
    CHECK(std::string(status_name(Status::Transport)) == "transport error");
    CHECK(std::string(status_name(Status::Timeout)) == "timeout");
    CHECK(std::string(status_name(Status::Cancelled)) == "cancelled");
    CHECK(std::string(status_name(Status::BadResponse)) == "bad response");
    CHECK(std::string(status_name(Status::Internal)) == "internal error");
    CHECK(std::string(status_name(Status::NoMem)) == "out of memory");
    CHECK(std::string(status_name(Status::Rejected)) == "rejected");
    CHECK(std::string(status_name(Status::Precondition)) == "precondition failed");
    CHECK(std::string(status_name(Status::RestoreFailed)) == "restore failed");
    CHECK(std::string(status_name(static_cast<Status>(99))) == "unknown status");
    CHECK(std::string(status_name(static_cast<Status>(-1))) == "unknown status");
}
