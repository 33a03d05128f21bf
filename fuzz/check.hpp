// Property checks shared by the fuzz targets. assert() vanishes under NDEBUG, and a fuzz
// property must hold in every build type, so a failed check prints what broke and aborts:
// libFuzzer reports the abort as a crash and saves the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition) \
    ((condition) ? static_cast<void>(0) : ::dcs_fuzz::check_failed(#condition, __FILE__, __LINE__))

namespace dcs_fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", condition, file, line);
    std::abort();
}

// What the C ABI promises of every message: one human-readable line.
inline bool is_printable_line(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

}  // namespace dcs_fuzz
