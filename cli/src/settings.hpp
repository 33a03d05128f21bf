// The client configuration of one run, from three layers: command-line flags, then the
// environment (HUAWEICLOUD_SDK_*, DCS_ENDPOINT, DCS_REGION), then the configuration file.
// A field set by a higher layer is never overridden by a lower one.
#pragma once

#include "args.hpp"
#include "config.hpp"

namespace dcsctl {

// Throws ConfigError for an unusable configuration file. Prints a warning on stderr when a
// secret is passed as a flag (other users can read it in the process list).
dcs::core::ClientConfig load_client_config(const ParsedArgs& args);

}  // namespace dcsctl
