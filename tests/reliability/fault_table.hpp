// The shared fault matrix (fault_matrix.json), as C++ sees it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "admin_client.hpp"

namespace dcs::test {

struct MatrixFault {
    std::string name;
    FaultSpec spec;  // operation and count are filled in per cell
};

struct FaultMatrix {
    int64_t call_timeout_ms = 0;
    int64_t deadline_slack_ms = 0;
    std::vector<std::pair<std::string, int>> modes;  // name, fault count (0 = every request)
    std::vector<MatrixFault> faults;
    // DCS operation, and the library calls (by their C-ABI-less name) that exercise it.
    std::vector<std::pair<std::string, std::vector<std::string>>> operations;
};

// Reads DCS_RELIABILITY_DIR/fault_matrix.json; throws std::runtime_error if it is malformed.
FaultMatrix load_fault_matrix();

}  // namespace dcs::test
