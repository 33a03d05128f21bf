// The DCS region list (regions.hpp). Taken from the region ids the official Huawei Cloud Go
// SDK knows for DCS (services/dcs/v2/region); a region added to the service later works with
// an explicit endpoint or HUAWEICLOUD_SDK_REGION_DCS_{REGION}, which bypass this list.
#include "regions.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace dcs::core {
namespace {

constexpr std::array<std::string_view, 24> kRegions = {
    "ae-ad-1",        "af-south-1",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "cn-east-2",      "cn-east-3",      "cn-north-1",     "cn-north-2",
    "cn-north-4",     "cn-north-9",     "cn-south-1",     "cn-south-2",     "cn-southwest-2",
    "eu-west-0",      "eu-west-101",    "la-north-2",     "la-south-2",     "me-east-1",
    "na-mexico-1",    "ru-northwest-2", "sa-brazil-1",    "tr-west-1",
};

// Levenshtein distance; both strings are at most a few dozen characters (regions are
// validated to 32 before they get here).
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j < row.size(); ++j) {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

bool is_known_region(std::string_view region) {
    return std::find(kRegions.begin(), kRegions.end(), region) != kRegions.end();
}

std::string closest_known_region(std::string_view region) {
    std::string_view best = kRegions.front();
    size_t best_distance = edit_distance(region, best);
    for (std::string_view known : kRegions) {
        size_t distance = edit_distance(region, known);
        if (distance < best_distance) {
            best = known;
            best_distance = distance;
        }
    }
    return std::string(best);
}

std::string known_regions_text() {
    std::string text;
    for (std::string_view known : kRegions) {
        if (!text.empty()) {
            text += ", ";
        }
        text += known;
    }
    return text;
}

}  // namespace dcs::core
