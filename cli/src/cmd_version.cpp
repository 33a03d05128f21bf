// dcsctl version: the tool's version and the libraries it runs on.
#include <dcs/dcs.h>

#include <cstdio>

#include "commands.hpp"
#include "json_output.hpp"

namespace dcsctl {
namespace {

int run_version(const ParsedArgs& args) {
    // The tool is built with the library, so the header's version is both of theirs.
    const char* libraries = dcs_transport_version_string();
    if (args.has("json")) {
        print_json_record(stdout, {{"version", DCS_VERSION_STRING}, {"libraries", libraries}});
    } else {
        std::printf("dcsctl %s\n%s\n", DCS_VERSION_STRING, libraries);
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
