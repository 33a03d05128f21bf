// dcsctl: find the command, check its options, run it, and turn the outcome into an exit
// code. Nothing is done before the command's own request that the command does not need.
#include <cstdio>
#include <exception>

#include "args.hpp"
#include "commands.hpp"
#include "config_file.hpp"
#include "exit_codes.hpp"
#include "help.hpp"
#include "session.hpp"

namespace dcsctl {
namespace {

std::vector<CommandSpec> all_commands() {
    std::vector<CommandSpec> all;
    for (auto group : {restore_commands, restores_commands, backups_commands, instance_commands,
                       version_commands}) {
        for (auto& command : group()) {
            all.push_back(std::move(command));
        }
    }
    return all;
}

bool is_group(const std::vector<CommandSpec>& commands, const std::string& word) {
    for (const auto& command : commands) {
        if (command.group == word && !command.action.empty()) {
            return true;
        }
    }
    return false;
}

const CommandSpec& find_command(const std::vector<CommandSpec>& commands, const ParsedArgs& args,
                                size_t& words_used) {
    const std::string& first = args.words[0];
    bool grouped = is_group(commands, first);
    words_used = grouped ? 2 : 1;
    if (grouped && args.words.size() < 2) {
        throw UsageError("'" + first + "' needs a subcommand (see 'dcsctl " + first + " --help')");
    }
    for (const auto& command : commands) {
        if (command.group == first && (!grouped || command.action == args.words[1])) {
            return command;
        }
    }
    if (grouped) {
        throw UsageError("unknown subcommand '" + first + " " + args.words[1] + "'");
    }
    throw UsageError("unknown command '" + first + "'");
}

int run_with_session(const CommandSpec& command, const ParsedArgs& args) {
    Session session(args);
    try {
        return command.run(session);
    } catch (const Failure& failure) {
        print_error(failure.error);
        if (!failure.hint.empty()) {
            std::fprintf(stderr, "%s", failure.hint.c_str());
        }
        if (int signo = session.interrupted_by(); signo != 0) {
            return 128 + signo;
        }
        return exit_code_for(failure.error);
    }
}

int run(int argc, const char* const* argv) {
    ParsedArgs args = parse_args(argc, argv);
    std::vector<CommandSpec> commands = all_commands();
    if (args.words.empty()) {
        if (args.has("help")) {
            print_main_help(stdout, commands);
            return exit_code::kOk;
        }
        throw UsageError("no command given");
    }
    if (args.has("help") && args.words.size() == 1 && is_group(commands, args.words[0])) {
        print_group_help(stdout, args.words[0], commands);
        return exit_code::kOk;
    }
    size_t words_used = 0;
    const CommandSpec& command = find_command(commands, args, words_used);
    if (args.words.size() > words_used) {
        throw UsageError("unexpected argument '" + args.words[words_used] + "'");
    }
    if (args.has("help")) {
        print_command_help(stdout, command);
        return exit_code::kOk;
    }
    args.allow_only(command.options, command.name());
    if (command.run_local != nullptr) {
        return command.run_local(args);
    }
    return run_with_session(command, args);
}

}  // namespace
}  // namespace dcsctl

int main(int argc, char** argv) {
    using namespace dcsctl;
    try {
        return run(argc, argv);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "dcsctl: %s\nRun 'dcsctl --help' for usage.\n", e.what());
        return exit_code::kUsage;
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "dcsctl: %s\n", e.what());
        return exit_code::kUsage;
    } catch (const Failure& failure) {
        // Raised before any request: the client refused the configuration.
        print_error(failure.error);
        return exit_code_for(failure.error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dcsctl: internal error: %s\n", e.what());
        return exit_code::kOther;
    }
}
