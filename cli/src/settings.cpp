#include "settings.hpp"

#include <cstdio>
#include <optional>
#include <string>

#include "config_file.hpp"
#include "duration.hpp"
#include "failure.hpp"

namespace dcsctl {
namespace {

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

using Setter = dcs_status (*)(dcs_client_options*, const char*, dcs_error**);

// Sets a text option to `value`; "" is no value, as an absent one.
void set_text(dcs_client_options* options, Setter setter, const std::string& value) {
    if (!value.empty()) {
        check(setter, options, value.c_str());
    }
}

void set_text(dcs_client_options* options, Setter setter, const std::optional<std::string>& value) {
    if (value) {
        set_text(options, setter, *value);
    }
}

bool is_set(const dcs_client_options* options, int option) {
    int set = 0;
    check(dcs_client_options_is_set, options, option, &set);
    return set != 0;
}

}  // namespace

ClientOptionsPtr load_client_options(const ParsedArgs& args) {
    warn_secret_flag(args, "sk", "HUAWEICLOUD_SDK_SK");
    warn_secret_flag(args, "security-token", "HUAWEICLOUD_SDK_SECURITY_TOKEN");

    // What the tool reads itself comes first, so that its mistakes are reported before the
    // library judges the values: the configuration file, then the durations.
    bool named = args.has("config");
    std::string path = named ? *args.get("config") : default_config_path(named);
    std::optional<ConfigFile> file;
    if (!path.empty()) {
        file = read_config_file(path, /*missing_ok=*/!named);
    }
    // How a restore copes with a lost answer: flags (restore only), else the file.
    auto attempt_timeout = duration_setting(args, "attempt-timeout", file, "attempt_timeout", false,
                                            DCS_MAX_TIMEOUT_MS);
    auto reconcile_window = duration_setting(args, "reconcile-window", file, "reconcile_window",
                                             true, DCS_MAX_RECONCILE_WINDOW_MS);
    bool insecure = args.has("insecure") || (file && parse_bool(*file, "insecure"));

    auto options = make<ClientOptionsPtr>(dcs_client_options_new);
    dcs_client_options* o = options.get();

    // 1. Flags.
    set_text(o, dcs_client_options_set_endpoint, args.get("endpoint"));
    set_text(o, dcs_client_options_set_region, args.get("region"));
    set_text(o, dcs_client_options_set_project_id, args.get("project-id"));
    set_text(o, dcs_client_options_set_access_key, args.get("ak"));
    set_text(o, dcs_client_options_set_secret_key, args.get("sk"));
    set_text(o, dcs_client_options_set_security_token, args.get("security-token"));

    // 2. Environment: fills what the flags left unset (libdcs's rules, e.g. a token only
    // with keys from the environment).
    check(dcs_client_options_load_env, o);

    // 3. The configuration file fills what is still unset.
    if (file) {
        // The endpoint wins over the region, so the file may supply the pair only when no
        // higher layer chose either; a file endpoint must not override a flag's region.
        if (!is_set(o, DCS_CLIENT_OPTION_ENDPOINT) && !is_set(o, DCS_CLIENT_OPTION_REGION)) {
            set_text(o, dcs_client_options_set_endpoint, file->value("endpoint"));
            set_text(o, dcs_client_options_set_region, file->value("region"));
        }
        if (!is_set(o, DCS_CLIENT_OPTION_PROJECT_ID)) {
            set_text(o, dcs_client_options_set_project_id, file->value("project_id"));
        }
        if (!is_set(o, DCS_CLIENT_OPTION_ACCESS_KEY)) {
            set_text(o, dcs_client_options_set_access_key, file->value("ak"));
        }
        if (!is_set(o, DCS_CLIENT_OPTION_SECRET_KEY)) {
            set_text(o, dcs_client_options_set_secret_key, file->value("sk"));
        }
        if (!is_set(o, DCS_CLIENT_OPTION_SECURITY_TOKEN)) {
            set_text(o, dcs_client_options_set_security_token, file->value("security_token"));
        }
    }

    // 4. Without keys from any layer above, the credentials chain of the official SDKs: the
    // profile file ($HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials, its
    // [basic] section or --profile's), then, when asked for, the ECS metadata service's
    // temporary credentials, which libdcs refreshes before they expire (a long --wait).
    // Metadata is opt-in: off an ECS server it would only turn "credentials are missing"
    // into a connection timeout.
    std::string profile = args.get("profile").value_or("");
    check(dcs_client_options_use_credentials_profile, o, 1, nullptr,
          profile.empty() ? nullptr : profile.c_str());
    std::string metadata_endpoint = args.get("metadata-endpoint").value_or("");
    if (args.has("ecs-metadata") || !metadata_endpoint.empty()) {
        check(dcs_client_options_use_credentials_metadata, o, 1,
              metadata_endpoint.empty() ? nullptr : metadata_endpoint.c_str());
    }

    // Options no environment variable sets: the flag, else the file.
    std::string ca_file = args.get("ca-file").value_or("");
    if (ca_file.empty() && file) {
        ca_file = file->value("ca_file");
    }
    set_text(o, dcs_client_options_set_ca_file, ca_file);
    std::string ca_dir = args.get("ca-dir").value_or("");
    if (ca_dir.empty() && file) {
        ca_dir = file->value("ca_dir");
    }
    set_text(o, dcs_client_options_set_ca_dir, ca_dir);
    // Neither flag nor file: libdcs follows the environment's proxy variables. "" is
    // libdcs's "no proxy", from --no-proxy or a file's `proxy = ""`.
    if (args.has("no-proxy") && args.has("proxy")) {
        throw ConfigError("--proxy and --no-proxy cannot be used together");
    }
    if (args.has("no-proxy")) {
        check(dcs_client_options_set_proxy, o, "");
    } else if (args.has("proxy")) {
        set_text(o, dcs_client_options_set_proxy, args.get("proxy"));
    } else if (file && file->values.count("proxy") != 0) {
        check(dcs_client_options_set_proxy, o, file->value("proxy").c_str());
    }
    check(dcs_client_options_set_insecure, o, insecure ? 1 : 0);
    if (attempt_timeout) {
        check(dcs_client_options_set_attempt_timeout_ms, o, *attempt_timeout);
    }
    if (reconcile_window) {
        check(dcs_client_options_set_reconcile_window_ms, o, *reconcile_window);
    }
    return options;
}

}  // namespace dcsctl
