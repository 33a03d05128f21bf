// --json output: one JSON document on stdout, indented by two spaces, field names exactly the
// DCS API's. Lists are arrays of records; a single record is an object.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "records.hpp"

namespace dcsctl {

void print_json_record(std::FILE* out, const Fields& fields);
void print_json_records(std::FILE* out, const std::vector<Fields>& records);

// An array of strings in a summary, e.g. "failed": ["id1", "id2"].
struct JsonStrings {
    const char* name;
    std::vector<std::string> values;
};

// One object of several records (restore --plan's summary): the fields of `head`, then each
// of `lists`, then `records_name` holding `records` as an array of objects.
void print_json_summary(std::FILE* out, const Fields& head, const std::vector<JsonStrings>& lists,
                        const char* records_name, const std::vector<Fields>& records);

}  // namespace dcsctl
