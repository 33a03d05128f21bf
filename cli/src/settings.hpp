// The client configuration of one run, from three layers: command-line flags, then the
// environment (HUAWEICLOUD_SDK_*, DCS_ENDPOINT, DCS_REGION, then HW_*, read by libdcs), then the
// configuration file. A field set by a higher layer is never overridden by a lower one.
#pragma once

#include "args.hpp"
#include "handles.hpp"

namespace dcsctl {

// Throws ConfigError for an unusable configuration file, UsageError for a bad duration flag,
// Failure for a value libdcs refuses. Prints a warning on stderr when a secret is passed as a
// flag (other users can read it in the process list).
ClientOptionsPtr load_client_options(const ParsedArgs& args);

}  // namespace dcsctl
