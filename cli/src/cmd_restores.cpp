// dcsctl restores list / get / find: the restore records of an instance.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "commands.hpp"
#include "duration.hpp"
#include "json_output.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

const std::vector<std::string> kListColumns = {"restore_id", "backup_id",     "status",
                                               "progress",   "created_at",    "updated_at",
                                               "error_code", "restore_remark"};

int run_list(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    auto records = make<RestoreListPtr>(dcs_list_restores, session.client(), instance_id.c_str(),
                                        session.list_filter().get(), session.call_options().get());
    std::vector<Fields> rows;
    size_t count = dcs_restore_list_count(records.get());
    rows.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        rows.push_back(fields_of(dcs_restore_list_at(records.get(), i)));
    }
    if (session.json()) {
        print_json_records(stdout, rows);
    } else {
        print_table(stdout, kListColumns, rows);
    }
    return 0;
}

int run_get(Session& session) {
    const ParsedArgs& args = session.args();
    std::string restore_id = args.required("restore");
    std::string instance_id = args.required("instance");
    auto record = make<RestoreRecordPtr>(dcs_get_restore, session.client(), instance_id.c_str(),
                                         restore_id.c_str(), session.call_options().get());
    if (session.json()) {
        print_json_record(stdout, fields_of(record.get()));
    } else {
        print_record(stdout, fields_of(record.get()));
    }
    return 0;
}

// "Did my restore start?": the earliest restore of the backup and remark created since
// --since, as `restore` adopts it.
int run_find(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    std::string backup_id = args.required("backup");
    std::optional<std::string> remark = args.get("remark");
    int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    int64_t since_ms = parse_time_ms("since", args.required("since"), now_ms);
    dcs_restore_record* found = nullptr;
    auto error =
        attempt(dcs_find_restore, session.client(), instance_id.c_str(), backup_id.c_str(),
                remark ? remark->c_str() : nullptr, since_ms, session.call_options().get(), &found);
    if (error) {
        // The service's own "not found" (no such instance) keeps its message; no match is
        // said in the tool's terms.
        if (error->status == DCS_E_NOT_FOUND && error->http_status == 0) {
            error->message =
                "no restore of backup " + backup_id +
                (remark ? " with remark '" + *remark + "'" : std::string(" without a remark")) +
                " created since " + format_rfc3339_utc(since_ms) + " is listed for instance " +
                instance_id;
        }
        throw Failure{std::move(*error)};
    }
    RestoreRecordPtr record(found);
    if (session.json()) {
        print_json_record(stdout, fields_of(record.get()));
    } else {
        print_record(stdout, fields_of(record.get()));
    }
    return 0;
}

}  // namespace

std::vector<CommandSpec> restores_commands() {
    return {
        {"restores",
         "list",
         "list the restore records of an instance",
         "--instance ID [--begin yyyyMMddHHmmss] [--end yyyyMMddHHmmss] [--timeout DURATION] "
         "[--json]",
         "Lists every restore record of the instance (all pages), newest first as the service\n"
         "returns them. --begin and --end filter by creation time, in UTC.",
         {"instance", "begin", "end", "timeout", "json"},
         run_list},
        {"restores",
         "get",
         "show one restore record",
         "--instance ID --restore ID [--timeout DURATION] [--json]",
         "Shows the restore record with that id; exit code 3 when the instance has none.",
         {"instance", "restore", "timeout", "json"},
         run_get},
        {"restores",
         "find",
         "find the restore a restore command may have started",
         "--instance ID --backup ID [--remark TEXT] --since TIME [--timeout DURATION] [--json]",
         "Answers \"did my restore start?\" after 'dcsctl restore' ended unresolved (it prints\n"
         "this command): shows the earliest restore record of the backup with that remark\n"
         "created at or after TIME, and exits 0; exits 3 when none is listed. Without\n"
         "--remark only restores started without a remark match. TIME is an RFC 3339 time\n"
         "with a zone (2026-11-27T10:00:00Z, 2026-11-27T18:00:00+08:00) or a duration ago\n"
         "(10m, 2h). The service's clock is allowed for, as learnt from its answers.",
         {"instance", "backup", "remark", "since", "timeout", "json"},
         run_find},
    };
}

}  // namespace dcsctl
