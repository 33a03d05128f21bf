// dcsctl version: the tool's version and the libraries it runs on.
#include <curl/curl.h>

#include <cstdio>

#include "commands.hpp"
#include "json_output.hpp"

namespace dcsctl {
namespace {

int run_version(const ParsedArgs& args) {
    const char* libraries = curl_version();
    if (args.has("json")) {
        print_json_record(stdout, {{"version", DCSCTL_VERSION}, {"libraries", libraries}});
    } else {
        std::printf("dcsctl %s\n%s\n", DCSCTL_VERSION, libraries);
    }
    return 0;
}

}  // namespace

std::vector<CommandSpec> version_commands() {
    CommandSpec version{"version",
                        "",
                        "print the version",
                        "[--json]",
                        "Prints dcsctl's version and the libcurl/TLS versions it uses.",
                        {"json"},
                        nullptr};
    version.run_local = run_version;
    return {version};
}

}  // namespace dcsctl
