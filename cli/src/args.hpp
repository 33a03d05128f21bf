// Command-line parsing: splits argv into command words and --options. Every option the tool
// knows is declared once here, so "--opt value" never swallows a command word by accident;
// which options a command accepts is checked afterwards, per command.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dcsctl {

// A mistake in how the tool was invoked: exit code 2.
class UsageError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    const char* name;  // without the leading "--"
    bool takes_value;
    const char* value_name;  // for help texts; nullptr for flags
};

// Every option of every command.
const std::vector<OptionSpec>& known_options();
// The options every command accepts (configuration, --help, --verbose).
const std::vector<std::string>& global_option_names();

class ParsedArgs {
   public:
    std::vector<std::string> words;  // command and subcommand, in order

    [[nodiscard]] bool has(const std::string& name) const { return options_.count(name) != 0; }
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    // The value of an option the command cannot do without.
    [[nodiscard]] std::string required(const std::string& name) const;
    // Rejects any option given that is neither global nor in `allowed`.
    void allow_only(const std::vector<std::string>& allowed, const std::string& command) const;

    void set(const std::string& name, std::string value);

   private:
    std::map<std::string, std::string> options_;
};

// Accepts "--name value", "--name=value", flags, and "-h" for --help. Throws UsageError for an
// unknown option, a missing value, a value given to a flag, or an option given twice.
ParsedArgs parse_args(int argc, const char* const* argv);

}  // namespace dcsctl
