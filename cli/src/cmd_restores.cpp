// dcsctl restores list / get / find: the restore records of an instance.
#include <chrono>
#include <cstdio>

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
    dcs::core::ListFilter filter;
    filter.begin_time = args.get("begin").value_or("");
    filter.end_time = args.get("end").value_or("");
    auto records = session.take(
        session.client().list_restores(args.required("instance"), filter, session.call_options()));
    std::vector<Fields> rows;
    rows.reserve(records.size());
    for (const auto& record : records) {
        rows.push_back(fields_of(record));
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
    auto record = session.take(session.client().get_restore(
        args.required("instance"), args.required("restore"), session.call_options()));
    if (session.json()) {
        print_json_record(stdout, fields_of(record));
    } else {
        print_record(stdout, fields_of(record));
    }
    return 0;
}

// "Did my restore start?": the earliest restore of the backup and remark created since
// --since, as `restore` adopts it.
int run_find(Session& session) {
    const ParsedArgs& args = session.args();
    std::string instance_id = args.required("instance");
    dcs::core::RestoreQuery query;
    query.backup_id = args.required("backup");
    query.remark = args.get("remark");
    int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         session.client().config().clock().time_since_epoch())
                         .count();
    query.since_ms = parse_time_ms("since", args.required("since"), now_ms);
    auto found = session.client().find_restore(instance_id, query, session.call_options());
    if (!found) {
        dcs::core::Error error = std::move(found).error();
        // The service's own "not found" (no such instance) keeps its message; no match is
        // said in the tool's terms.
        if (error.status == dcs::core::Status::NotFound && error.http_status == 0) {
            error.message = "no restore of backup " + query.backup_id +
                            (query.remark ? " with remark '" + *query.remark + "'"
                                          : std::string(" without a remark")) +
                            " created since " + format_rfc3339_utc(query.since_ms) +
                            " is listed for instance " + instance_id;
        }
        throw Failure{std::move(error)};
    }
    if (session.json()) {
        print_json_record(stdout, fields_of(found.value()));
    } else {
        print_record(stdout, fields_of(found.value()));
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
