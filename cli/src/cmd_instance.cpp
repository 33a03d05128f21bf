// dcsctl instance show: the restore-relevant facts of an instance.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "json_output.hpp"
#include "table.hpp"

namespace dcsctl {
namespace {

int run_show(Session& session) {
    std::string instance_id = session.args().required("instance");
    auto instance = make<InstancePtr>(dcs_show_instance, session.client(), instance_id.c_str(),
                                      session.call_options().get());
    if (session.json()) {
        print_json_record(stdout, fields_of(instance.get()));
    } else {
        print_record(stdout, fields_of(instance.get()));
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
