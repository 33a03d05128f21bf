#include "duration.hpp"

#include <cctype>
#include <cmath>
#include <string>

#include "args.hpp"

namespace dcsctl {

int64_t parse_duration_ms(std::string_view option, std::string_view text) {
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
    double ms = std::ceil(std::stod(number) * scale);
    constexpr double kMaxMs = 30.0 * 24 * 3600 * 1000;
    if (!(ms > 0) || ms > kMaxMs) {
        throw UsageError("--" + std::string(option) + " must be positive and at most 30 days");
    }
    return static_cast<int64_t>(ms);
}

}  // namespace dcsctl
