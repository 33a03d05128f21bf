// dcsctl instance show: the restore-relevant facts of an instance.
#include <cstdio>

#include "commands.hpp"
#include "json_output.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

int run_show(Session& session) {
    auto instance = session.take(session.client().show_instance(session.args().required("instance"),
                                                                session.call_options()));
    if (session.json()) {
        print_json_record(stdout, fields_of(instance));
    } else {
        print_record(stdout, fields_of(instance));
    }
    return 0;
}

}  // namespace

std::vector<CommandSpec> instance_commands() {
    return {
        {"instance",
         "show",
         "show an instance's status and mode",
         "--instance ID [--timeout DURATION] [--json]",
         "Shows the instance's name, status (RUNNING, RESTORING, ...), cache mode and engine:\n"
         "what decides whether it can be restored.",
         {"instance", "timeout", "json"},
         run_show},
    };
}

}  // namespace dcsctl
