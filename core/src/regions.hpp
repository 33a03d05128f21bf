// The regions where the DCS API is offered, and the nearest known name to a misspelt one.
// The one home of the list: a region outside it fails at once (config.cpp) instead of after
// a DNS lookup and every retry of "dcs.<typo>.myhuaweicloud.com".
#pragma once

#include <string>
#include <string_view>

namespace dcs::core {

// Whether `region` is one where the service's public endpoint is
// https://dcs.{region}.myhuaweicloud.com.
bool is_known_region(std::string_view region);

// The known region closest to `region` by edit distance (ties: the first in the list), for a
// "did you mean" hint. Always one of the known regions.
std::string closest_known_region(std::string_view region);

// Every known region, comma-separated, for error messages.
std::string known_regions_text();

}  // namespace dcs::core
