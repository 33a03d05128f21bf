// Human-readable output: aligned tables of records and "name  value" blocks for one record.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "records.hpp"

namespace dcsctl {

// One row per record, one column per name in `columns` (headers are the API's names, so a
// reader can map them to --json output). Columns are separated by two spaces.
void print_table(std::FILE* out, const std::vector<std::string>& columns,
                 const std::vector<Fields>& rows);

// One "name  value" line per field, names aligned.
void print_record(std::FILE* out, const Fields& fields);

}  // namespace dcsctl
