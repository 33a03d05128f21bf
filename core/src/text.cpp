// Text and time helpers (text.hpp).
#include "text.hpp"

#include <algorithm>
#include <ctime>

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

}  // namespace dcs::core
