// --json output, written with RapidJSON's writer: one JSON document on stdout, field names
// exactly the DCS API's. Lists are arrays of records; a single record is an object.
#pragma once

#include <cstdio>
#include <vector>

#include "records.hpp"

namespace dcsctl {

void print_json_record(std::FILE* out, const Fields& fields);
void print_json_records(std::FILE* out, const std::vector<Fields>& records);

}  // namespace dcsctl
