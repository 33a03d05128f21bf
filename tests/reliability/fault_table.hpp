// The shared fault matrix (fault_matrix.json), as C++ sees it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin_client.hpp"

namespace dcs::test {

// What a RestoreInstance cell must observe (fault_matrix.json's restore_expect).
struct RestoreExpectation {
    std::string outcome;  // started, adopted, unresolved or refused
    int64_t restores = 0;
    int64_t posts_min = 0;
    int64_t posts_max = 0;
};

struct MatrixFault {
    std::string name;
    FaultSpec spec;                  // operation, count and instance are filled in per cell
    std::vector<std::string> only;   // the operations it applies to; empty = all
    std::vector<std::string> modes;  // the modes it runs in; empty = all
    int64_t call_timeout_ms = 0;     // 0 = the matrix's
    std::optional<int64_t> restore_listing_delay_ms;           // its timings, if any
    std::map<std::string, RestoreExpectation> restore_expect;  // by mode

    [[nodiscard]] bool runs_in(const std::string& mode) const;
    [[nodiscard]] bool applies_to(const std::string& operation, const std::string& mode) const;
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
