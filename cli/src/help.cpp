#include "help.hpp"

#include <algorithm>
#include <cstring>

namespace dcsctl {
namespace {

struct OptionHelp {
    const char* name;
    const char* text;
};

const OptionHelp kOptionHelp[] = {
    {"instance", "the DCS instance id"},
    {"backup", "the backup id (restore: or 'latest', the newest restorable)"},
    {"restore", "the restore record id"},
    {"remark", "a description, at most 128 bytes"},
    {"format", "backup format: rdb (default) or aof"},
    {"begin", "only records created at or after this UTC time"},
    {"end", "only records created at or before this UTC time"},
    {"restorable", "only backups a restore can start from"},
    {"wait", "wait until it ends, showing progress on stderr"},
    {"wait-instance", "also wait for the instance to be RUNNING again (implies --wait)"},
    {"no-preflight", "skip the pre-flight checks of instance and backup"},
    {"timeout", "bound the whole command: 300ms, 30s, 5m, 1h (exit 4 when it passes)"},
    {"poll-interval", "first interval between status polls while waiting (default 2s)"},
    {"attempt-timeout", "limit of each request (default: a quarter of --timeout, 1s-60s)"},
    {"reconcile-window",
     "how long to look for the restore of a lost answer (default 30s; 0 = once)"},
    {"wait-while-busy", "while the instance is busy, wait and retry until --timeout"},
    {"since", "created at or after: 2026-11-27T10:00:00Z, or a duration ago (10m)"},
    {"before", "the newest restorable backup created before: 2026-11-27T10:00:00Z, or 2h ago"},
    {"backup-type", "only manual or only auto backups (with --backup latest)"},
    {"backup-name", "only the backup of this name (with --backup latest)"},
    {"dry-run", "check and print what would happen; start nothing (exit 0 or 3)"},
    {"plan", "restore the instances a JSON plan lists, each from its backup"},
    {"parallel", "with --plan: how many instances at a time (1-16, default 4)"},
    {"again", "with --plan: restore instances already restored from it again"},
    {"json", "print JSON (the API's field names) instead of a table"},
    {"endpoint", "DCS endpoint URL, e.g. https://dcs.cn-north-4.myhuaweicloud.com"},
    {"region", "region, e.g. cn-north-4 (the endpoint is derived from it)"},
    {"project-id", "project id"},
    {"ak", "access key"},
    {"sk", "secret key (discouraged: visible in ps; use HUAWEICLOUD_SDK_SK)"},
    {"security-token", "security token of temporary credentials (discouraged, as --sk)"},
    {"ca-file", "PEM file of CA certificates to trust"},
    {"ca-dir", "directory of CA certificates to trust (OpenSSL hashed form)"},
    {"insecure", "do not verify TLS certificates (testing only)"},
    {"proxy", "proxy URL (default: https_proxy/http_proxy/no_proxy of the environment)"},
    {"no-proxy", "connect directly, whatever the environment's proxy variables say"},
    {"profile", "section of ~/.huaweicloud/credentials used without keys (default basic)"},
    {"ecs-metadata", "without keys, use the ECS metadata service's temporary credentials"},
    {"metadata-endpoint", "metadata service URL for --ecs-metadata (default 169.254.169.254)"},
    {"config", "configuration file (default $DCS_CONFIG, else ~/.config/dcsctl/config)"},
    {"verbose", "log every request and retry on stderr"},
    {"help", "show help"},
};

void print_option(std::FILE* out, const std::string& name) {
    const auto& known = known_options();
    auto spec = std::find_if(known.begin(), known.end(),
                             [&](const OptionSpec& o) { return name == o.name; });
    std::string left = "--" + name;
    if (spec != known.end() && spec->value_name != nullptr) {
        left += std::string(" ") + spec->value_name;
    }
    const char* text = "";
    for (const auto& help : kOptionHelp) {
        if (name == help.name) {
            text = help.text;
        }
    }
    std::fprintf(out, "  %-30s %s\n", left.c_str(), text);
}

const char* const kGlobalSection =
    "Configuration (precedence: flags > environment > config file):\n";

const char* const kEnvironmentAndFile =
    "Environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID,\n"
    "  HUAWEICLOUD_SDK_SECURITY_TOKEN, DCS_ENDPOINT, DCS_REGION, DCS_CONFIG; then the Huawei\n"
    "  Cloud Terraform provider's HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN (keys and\n"
    "  token as one set, never mixed with HUAWEICLOUD_SDK_*), HW_PROJECT_ID, HW_REGION_NAME.\n"
    "Config file: 'key = value' lines with keys endpoint, region, project_id, ak, sk,\n"
    "  security_token, ca_file, insecure, attempt_timeout, reconcile_window (durations;\n"
    "  --attempt-timeout and --reconcile-window win), ca_dir, proxy (\"\" = none; it wins\n"
    "  over the environment's proxy variables, which apply when no layer sets one). A file\n"
    "  holding sk, security_token or a proxy password must not be readable by group or\n"
    "  others (chmod 600), or dcsctl refuses it.\n";

const char* const kExitCodes =
    "Exit codes:\n"
    "  0    success\n"
    "  1    anything else (unreadable response, internal error)\n"
    "  2    usage or configuration error\n"
    "  3    API error: the service refused (auth, not found, busy, pre-flight failed, ...)\n"
    "  4    timeout (--timeout passed) or cancelled\n"
    "  5    the restore (or backup) ended failed\n"
    "  6    transport error: the service could not be reached\n"
    "  130  interrupted by Ctrl-C (SIGINT); 143 for SIGTERM\n";

}  // namespace

void print_main_help(std::FILE* out, const std::vector<CommandSpec>& commands) {
    std::fputs(
        "dcsctl - restore Huawei Cloud DCS (Redis) instances from their backups\n"
        "\n"
        "Usage: dcsctl COMMAND [options]\n"
        "\n"
        "Commands:\n",
        out);
    for (const auto& command : commands) {
        std::fprintf(out, "  %-18s %s\n", command.name().c_str(), command.summary);
    }
    std::fputs("\n", out);
    std::fputs(kGlobalSection, out);
    for (const auto& name : global_option_names()) {
        print_option(out, name);
    }
    std::fputs("\n", out);
    std::fputs(kEnvironmentAndFile, out);
    std::fputs("\n", out);
    std::fputs(kExitCodes, out);
    std::fputs("\nRun 'dcsctl COMMAND --help' for a command's options.\n", out);
}

void print_group_help(std::FILE* out, const std::string& group,
                      const std::vector<CommandSpec>& commands) {
    std::fprintf(out, "Usage: dcsctl %s SUBCOMMAND [options]\n\nSubcommands:\n", group.c_str());
    for (const auto& command : commands) {
        if (command.group == group) {
            std::fprintf(out, "  %-8s %s\n", command.action.c_str(), command.summary);
        }
    }
    std::fprintf(out, "\nRun 'dcsctl %s SUBCOMMAND --help' for its options.\n", group.c_str());
}

void print_command_help(std::FILE* out, const CommandSpec& command) {
    std::fprintf(out, "Usage: dcsctl %s %s\n\n%s\n\nOptions:\n", command.name().c_str(),
                 command.usage, command.details);
    for (const auto& name : command.options) {
        print_option(out, name);
    }
    std::fputs("\n", out);
    if (command.run != nullptr) {
        std::fputs(kGlobalSection, out);
        for (const auto& name : global_option_names()) {
            print_option(out, name);
        }
        std::fputs("\n", out);
        std::fputs(kEnvironmentAndFile, out);
        std::fputs("\n", out);
    }
    std::fputs(kExitCodes, out);
}

}  // namespace dcsctl
