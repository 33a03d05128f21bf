// --json output: one JSON document on stdout, indented by two spaces, field names exactly the
// DCS API's. Lists are arrays of records; a single record is an object.
#pragma once

#include <cstdio>
#include <vector>

#include "records.hpp"

namespace dcsctl {

void print_json_record(std::FILE* out, const Fields& fields);
void print_json_records(std::FILE* out, const std::vector<Fields>& records);

}  // namespace dcsctl
