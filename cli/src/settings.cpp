#include "settings.hpp"

#include <cstdio>

#include "config_file.hpp"
#include "duration.hpp"
#include "validate.hpp"

namespace dcsctl {
namespace {

void fill_from(std::string& field, const std::optional<std::string>& value) {
    if (field.empty() && value) {
        field = *value;
    }
}

void fill_from(std::string& field, const std::string& value) {
    if (field.empty()) {
        field = value;
    }
}

bool parse_bool(const ConfigFile& file, const std::string& key) {
    std::string v = file.value(key);
    if (v.empty() || v == "false" || v == "no" || v == "0") {
        return false;
    }
    if (v == "true" || v == "yes" || v == "1") {
        return true;
    }
    throw ConfigError(file.path + ": '" + key + "' must be true or false");
}

// A duration setting: the flag (throws UsageError), else the file's key (ConfigError), else
// nothing. "0" is a value only when `zero_allowed`.
std::optional<int64_t> duration_setting(const ParsedArgs& args, const char* flag,
                                        const std::optional<ConfigFile>& file, const char* key,
                                        bool zero_allowed, int64_t max_ms) {
    if (auto value = args.get(flag)) {
        return parse_duration_ms(flag, *value, zero_allowed, max_ms);
    }
    if (!file || file->value(key).empty()) {
        return std::nullopt;
    }
    try {
        return parse_duration_ms(key, file->value(key), zero_allowed, max_ms);
    } catch (const UsageError& e) {
        // The message names "--key"; in a file it is the key.
        throw ConfigError(file->path + ": " + std::string(e.what()).substr(2));
    }
}

void warn_secret_flag(const ParsedArgs& args, const char* flag, const char* variable) {
    if (args.has(flag)) {
        std::fprintf(stderr,
                     "dcsctl: warning: --%s is visible to other users in the process list; "
                     "prefer %s or a config file\n",
                     flag, variable);
    }
}

}  // namespace

dcs::core::ClientConfig load_client_config(const ParsedArgs& args) {
    dcs::core::ClientConfig config;

    // 1. Flags.
    fill_from(config.endpoint, args.get("endpoint"));
    fill_from(config.region, args.get("region"));
    fill_from(config.project_id, args.get("project-id"));
    fill_from(config.credentials.access_key, args.get("ak"));
    fill_from(config.credentials.secret_key, args.get("sk"));
    fill_from(config.credentials.security_token, args.get("security-token"));
    fill_from(config.transport.ca_file, args.get("ca-file"));
    config.transport.insecure = args.has("insecure");
    warn_secret_flag(args, "sk", "HUAWEICLOUD_SDK_SK");
    warn_secret_flag(args, "security-token", "HUAWEICLOUD_SDK_SECURITY_TOKEN");

    // 2. Environment.
    dcs::core::load_env(config);

    // 3. The configuration file.
    bool named = args.has("config");
    std::string path = named ? *args.get("config") : default_config_path(named);
    std::optional<ConfigFile> file;
    if (!path.empty()) {
        file = read_config_file(path, /*missing_ok=*/!named);
    }

    // How a restore copes with a lost answer: flags (restore only), else the file.
    if (auto ms = duration_setting(args, "attempt-timeout", file, "attempt_timeout", false,
                                   dcs::core::kMaxTimeoutMs)) {
        config.attempt_timeout_ms = *ms;
    }
    if (auto ms = duration_setting(args, "reconcile-window", file, "reconcile_window", true,
                                   dcs::core::kMaxReconcileWindowMs)) {
        config.retry.reconcile_window_ms = *ms;
    }

    if (!file) {
        return config;
    }
    // The endpoint wins over the region, so the file may supply the pair only when no
    // higher layer chose either; a file endpoint must not override a flag's region.
    if (config.endpoint.empty() && config.region.empty()) {
        config.endpoint = file->value("endpoint");
        config.region = file->value("region");
    }
    fill_from(config.project_id, file->value("project_id"));
    fill_from(config.credentials.access_key, file->value("ak"));
    fill_from(config.credentials.secret_key, file->value("sk"));
    fill_from(config.credentials.security_token, file->value("security_token"));
    fill_from(config.transport.ca_file, file->value("ca_file"));
    if (!args.has("insecure")) {
        config.transport.insecure = parse_bool(*file, "insecure");
    }
    return config;
}

}  // namespace dcsctl
