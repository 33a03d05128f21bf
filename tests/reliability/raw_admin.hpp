// Raw calls of the emulator's admin API for what the shared AdminClient does not offer: an
// emulator serving HTTPS (trusted through a CA file, or not verified at all), admin
// bodies it has no struct for (probability faults), and proof from the wire that nothing
// reached the emulator (WireWatch). Failures throw std::runtime_error.
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

// What reached an emulator on the wire: TCP connections accepted and bytes received.
struct WireCounts {
    int64_t connections = 0;
    int64_t bytes = 0;
};

// Proves that nothing reached an emulator between its construction and since(), below
// anything the request log can show (a request Go's HTTP parser refuses is never logged).
// Each reading goes on a connection of its own (RawAdmin keeps none open), which is what
// makes it see every connection opened before it: the kernel hands connections over in the
// order they were made, and the emulator counts each as it accepts it, before the next. Bytes
// are read by each connection's own goroutine, so the connection count is the exact one; a
// client that sent nothing opened no connection either. A reading is itself a connection and
// a request, so the constructor reads twice to learn what one costs, and since() takes that
// cost off. Over TLS only the connection count is exact (a handshake's size may vary).
class WireWatch {
   public:
    explicit WireWatch(RawAdmin admin);
    // What arrived since construction, besides the readings: {0, 0} when nothing did.
    [[nodiscard]] WireCounts since() const;

   private:
    [[nodiscard]] WireCounts read() const;
    RawAdmin admin_;
    WireCounts base_;
    WireCounts reading_;
};

// The integer value of `"name": 123` in a flat JSON object; throws when absent.
int64_t json_int_field(const std::string& json, const std::string& name);

}  // namespace dcs::test
