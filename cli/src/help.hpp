// --help texts: the tool's, a command group's, and each command's.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"

namespace dcsctl {

void print_main_help(std::FILE* out, const std::vector<CommandSpec>& commands);
void print_group_help(std::FILE* out, const std::string& group,
                      const std::vector<CommandSpec>& commands);
void print_command_help(std::FILE* out, const CommandSpec& command);

}  // namespace dcsctl
