// dcsctl restore's choice of backup and its dry run: --backup latest, --before,
// --backup-type and --backup-name pick the backup through libdcs's selector
// (dcs_select_backup), and --dry-run prints libdcs's plan (dcs_plan_restore) instead of
// restoring.
#pragma once

#include <string>

#include "session.hpp"

namespace dcsctl {

// Whether the command asks for a backup to be chosen (--backup latest or a filter) rather
// than naming one by id. Throws UsageError for a filter given with a backup id, or for
// neither --backup nor a filter.
bool chooses_backup(const ParsedArgs& args);

// The chosen backup's id, printed on stderr (id, name, type, creation time, age, size) before
// anything starts. A choice that finds nothing is a Failure (exit 3): nothing is started.
std::string choose_backup(const Session& session, const std::string& instance_id);

// --dry-run: the plan, on stdout; 0 when the restore would start, 3 when a check fails.
int run_dry_run(const Session& session, const std::string& instance_id);

}  // namespace dcsctl
