// The commands of dcsctl. Each command group lives in its own cmd_*.cpp and describes its
// commands here: words, help text, accepted options and the function that runs them.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "session.hpp"

namespace dcsctl {

struct CommandSpec {
    std::string group;                 // first word: "restore", "restores", "backups", ...
    std::string action;                // second word ("list"), or "" for one-word commands
    const char* summary;               // one line for the command list
    const char* usage;                 // the arguments, after "dcsctl <words>"
    const char* details;               // paragraphs for the command's --help
    std::vector<std::string> options;  // accepted besides the global ones
    // Run with a Session (talks to the service) or, when null, without one.
    int (*run)(Session& session);
    int (*run_local)(const ParsedArgs& args) = nullptr;

    [[nodiscard]] std::string name() const { return action.empty() ? group : group + " " + action; }
};

std::vector<CommandSpec> restore_commands();
// restore --plan FILE (cmd_restore_plan.cpp): many instances, N at a time.
int run_restore_plan(Session& session);
std::vector<CommandSpec> restores_commands();
std::vector<CommandSpec> backups_commands();
std::vector<CommandSpec> instance_commands();
std::vector<CommandSpec> version_commands();

}  // namespace dcsctl
