// The configuration file: "key = value" lines, '#' comments, blank lines. Known keys:
// endpoint, region, project_id, ak, sk, security_token, ca_file, insecure, attempt_timeout,
// reconcile_window.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace dcsctl {

// A configuration that cannot be used as given: exit code 2, like a usage error.
class ConfigError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

struct ConfigFile {
    std::string path;
    std::map<std::string, std::string> values;  // key -> value, keys as written in the file

    [[nodiscard]] std::string value(const std::string& key) const {
        auto it = values.find(key);
        return it == values.end() ? std::string() : it->second;
    }
};

// Reads and parses `path`. A missing file is nullopt when `missing_ok`, else an error. A file
// that holds a secret (sk or security_token) must not be readable by group or others: it is
// refused, with the chmod that fixes it. Throws ConfigError; messages never quote values.
std::optional<ConfigFile> read_config_file(const std::string& path, bool missing_ok);

// "--config", else $DCS_CONFIG, else ~/.config/dcsctl/config; `explicit_choice` tells whether
// the user named the file (then it must exist).
std::string default_config_path(bool& explicit_choice);

}  // namespace dcsctl
