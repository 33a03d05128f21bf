// The plan file of `dcsctl restore --plan FILE`: which instances to restore, each with its
// backup selector. Read and checked in full before anything is sent, so that a typo in the
// 40th entry cannot leave 39 instances restored and the rest not.
//
//   {"restores": [
//     {"instance_id": "...", "backup": "<id>|latest", "before": "2026-11-27T10:00:00Z",
//      "backup_type": "manual|auto", "backup_name": "...", "remark": "..."}
//   ]}
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcsctl {

// The most entries a plan may hold: a bound on what one command may do to a fleet, far
// above any plan a person reviews line by line.
constexpr size_t kMaxPlanEntries = 1000;

struct PlanEntry {
    size_t index = 0;  // position in "restores", from 0 (named in messages as restores[i])
    std::string instance_id;
    // A backup named by id; nullopt when the backup is chosen ("latest" and the filters).
    std::optional<std::string> backup_id;
    std::optional<int64_t> before_ms;  // "before", already resolved to an instant
    std::optional<std::string> backup_type;
    std::optional<std::string> backup_name;
    std::optional<std::string> remark;

    // "restores[2] (instance abc)": how messages name the entry.
    [[nodiscard]] std::string label() const;
};

// The entries of the plan in `text`, in file order. `source` names the file in messages;
// relative times ("before": "2h") count back from `now_ms`. Throws UsageError (exit 2) naming
// the line and column of a syntax error, or the entry and key of anything else: an unknown
// or repeated key, a value that is not a string, an id or remark libdcs would refuse, a
// backup id given with filters, an instance listed twice, no entries or too many.
std::vector<PlanEntry> parse_plan(std::string_view text, const std::string& source, int64_t now_ms);

// parse_plan() of the file at `path` ("-" reads standard input). Throws UsageError when it
// cannot be read.
std::vector<PlanEntry> read_plan_file(const std::string& path, int64_t now_ms);

}  // namespace dcsctl
