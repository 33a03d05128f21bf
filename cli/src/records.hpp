// The fields of each record the tool prints, named as in the DCS API's JSON, in one place so
// that tables and --json output agree.
#pragma once

#include <dcs/dcs.h>

#include <string>
#include <vector>

namespace dcsctl {

struct Field {
    const char* name;      // the API's JSON name
    std::string value;     // as text
    bool integer = false;  // an integer in JSON ("" = null); a string otherwise
    bool boolean = false;  // true or false in JSON (value "true" or "false")
};

using Fields = std::vector<Field>;

// Read through libdcs's getters, which never return NULL (an absent value is "").
Fields fields_of(const dcs_restore_record* record);
Fields fields_of(const dcs_backup_record* record);
Fields fields_of(const dcs_instance* instance);

// A field of the tool's own that is a JSON boolean ("adopted").
Field boolean_field(const char* name, bool value);

// The value of `name` in `fields` ("" when absent).
const std::string& field_value(const Fields& fields, const std::string& name);

}  // namespace dcsctl
