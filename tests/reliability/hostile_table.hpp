// The shared table of hostile inputs (hostile_inputs.json), as C++ sees it.
#pragma once

#include <string>
#include <vector>

namespace dcs::test {

struct HostileInput {
    std::string label;
    std::string value;  // the bytes (may hold a NUL, which C cannot pass on)
    bool as_id = false;
    bool as_remark = false;
    std::string c_note;  // non-empty: C cannot pass this value, and why
};

// Reads DCS_RELIABILITY_DIR/hostile_inputs.json; throws std::runtime_error if it is malformed.
std::vector<HostileInput> load_hostile_inputs();

}  // namespace dcs::test
