#include "args.hpp"

#include <algorithm>

namespace dcsctl {

const std::vector<OptionSpec>& known_options() {
    static const std::vector<OptionSpec> kOptions = {
        // Configuration (every command).
        {"endpoint", true, "URL"},
        {"region", true, "REGION"},
        {"project-id", true, "ID"},
        {"ak", true, "KEY"},
        {"sk", true, "SECRET"},
        {"security-token", true, "TOKEN"},
        {"ca-file", true, "FILE"},
        {"ca-dir", true, "DIR"},
        {"insecure", false, nullptr},
        {"proxy", true, "URL"},
        {"no-proxy", false, nullptr},
        {"profile", true, "NAME"},
        {"ecs-metadata", false, nullptr},
        {"metadata-endpoint", true, "URL"},
        {"config", true, "FILE"},
        {"verbose", false, nullptr},
        {"help", false, nullptr},
        // Command options.
        {"instance", true, "ID"},
        {"backup", true, "ID"},
        {"restore", true, "ID"},
        {"remark", true, "TEXT"},
        {"format", true, "rdb|aof"},
        {"begin", true, "yyyyMMddHHmmss"},
        {"end", true, "yyyyMMddHHmmss"},
        {"restorable", false, nullptr},
        {"wait", false, nullptr},
        {"wait-instance", false, nullptr},
        {"no-preflight", false, nullptr},
        {"timeout", true, "DURATION"},
        {"poll-interval", true, "DURATION"},
        {"attempt-timeout", true, "DURATION"},
        {"reconcile-window", true, "DURATION"},
        {"wait-while-busy", false, nullptr},
        {"since", true, "TIME"},
        {"before", true, "TIME"},
        {"backup-type", true, "manual|auto"},
        {"backup-name", true, "NAME"},
        {"dry-run", false, nullptr},
        {"plan", true, "FILE"},
        {"parallel", true, "N"},
        {"again", false, nullptr},
        {"json", false, nullptr},
    };
    return kOptions;
}

const std::vector<std::string>& global_option_names() {
    static const std::vector<std::string> kGlobal = {"endpoint",     "region",
                                                     "project-id",   "ak",
                                                     "sk",           "security-token",
                                                     "ca-file",      "insecure",
                                                     "config",       "verbose",
                                                     "help",         "profile",
                                                     "ecs-metadata", "metadata-endpoint",
                                                     "ca-dir",       "proxy",
                                                     "no-proxy"};
    return kGlobal;
}

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
    auto it = options_.find(name);
    if (it == options_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string ParsedArgs::required(const std::string& name) const {
    auto value = get(name);
    if (!value || value->empty()) {
        throw UsageError("--" + name + " is required");
    }
    return *value;
}

void ParsedArgs::allow_only(const std::vector<std::string>& allowed,
                            const std::string& command) const {
    const auto& global = global_option_names();
    for (const auto& [name, value] : options_) {
        bool ok = std::find(allowed.begin(), allowed.end(), name) != allowed.end() ||
                  std::find(global.begin(), global.end(), name) != global.end();
        if (!ok) {
            throw UsageError("'" + command + "' does not take --" + name);
        }
    }
}

void ParsedArgs::set(const std::string& name, std::string value) {
    if (!options_.emplace(name, std::move(value)).second) {
        throw UsageError("--" + name + " is given more than once");
    }
}

ParsedArgs parse_args(int argc, const char* const* argv) {
    ParsedArgs parsed;
    for (int i = 1; i < argc; ++i) {
        std::string token = argv[i];
        if (token == "-h") {
            token = "--help";
        }
        if (token.size() < 3 || token.compare(0, 2, "--") != 0) {
            if (!token.empty() && token[0] == '-') {
                throw UsageError("unknown option '" + token + "'");
            }
            parsed.words.push_back(token);
            continue;
        }
        std::string name = token.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.erase(eq);
        }
        const auto& options = known_options();
        auto spec = std::find_if(options.begin(), options.end(),
                                 [&](const OptionSpec& o) { return name == o.name; });
        if (spec == options.end()) {
            throw UsageError("unknown option '--" + name + "'");
        }
        if (!spec->takes_value) {
            if (inline_value) {
                throw UsageError("--" + name + " takes no value");
            }
            parsed.set(name, "");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argc) {
                throw UsageError("--" + name + " needs a value (" + spec->value_name + ")");
            }
            inline_value = argv[++i];
        }
        parsed.set(name, *inline_value);
    }
    return parsed;
}

}  // namespace dcsctl
