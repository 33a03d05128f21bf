// dcsctl restores list / get: the restore records of an instance.
#include <cstdio>

#include "commands.hpp"
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
    };
}

}  // namespace dcsctl
