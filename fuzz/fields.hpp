// How the structured fuzz targets cut one input into string fields: libFuzzer's
// FuzzedDataProvider::ConsumeRandomLengthString, whose format is plain text. A field ends at
// a backslash followed by any character but a backslash ("\\\n" in the seed files), and "\\\\"
// stands for one backslash. So every byte, NUL included, can appear in a field, and the seed
// corpus stays readable: one field per line, each line ending in a backslash.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <utility>
#include <vector>

namespace dcs_fuzz {

// Splits `text` on `separator`; an empty text gives no pieces.
inline std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> pieces;
    if (text.empty()) {
        return pieces;
    }
    size_t start = 0;
    while (true) {
        const size_t end = text.find(separator, start);
        pieces.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) {
            return pieces;
        }
        start = end + 1;
    }
}

}  // namespace dcs_fuzz
