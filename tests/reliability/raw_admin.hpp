// Raw calls of the emulator's admin API for what the shared AdminClient does not offer: an
// emulator serving HTTPS (trusted through a CA file, or not verified at all) and admin
// bodies it has no struct for (probability faults). Failures throw std::runtime_error.
#pragma once

#include <cstdint>
#include <string>

namespace dcs::test {

struct RawAdmin {
    std::string base_url;   // e.g. "https://127.0.0.1:40123"
    std::string ca_file;    // trusted CA for an HTTPS emulator; empty = system store
    bool insecure = false;  // skip TLS verification (an emulator with a bad certificate)

    // Sends `body` (JSON, may be empty) and returns the answer; throws unless 2xx.
    std::string request(const std::string& method, const std::string& path,
                        const std::string& body = "") const;

    // An integer field of GET /_emulator/stats, e.g. "connections_accepted".
    int64_t stat(const std::string& name) const;
};

// The integer value of `"name": 123` in a flat JSON object; throws when absent.
int64_t json_int_field(const std::string& json, const std::string& name);

}  // namespace dcs::test
