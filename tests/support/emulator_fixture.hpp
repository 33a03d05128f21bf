// The one emulator of a test program, and a per-test sandbox on it.
//
// Each integration test program starts one dcs-emulator (lazily, on first use, from the
// main thread) and stops it at exit. Test cases run one after another; each builds a
// Sandbox, which gives it a fresh instance with a restorable backup and a clean slate of
// faults, request log and timings, so no test sees another's state.
#pragma once

#include <string>

#include "admin_client.hpp"
#include "capi.hpp"
#include "emulator_process.hpp"

namespace dcs::test {

EmulatorProcess& emulator();
AdminClient& admin();
inline std::string emulator_url() { return emulator().base_url(); }

class Sandbox {
   public:
    explicit Sandbox(const InstanceSpec& instance = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    // A client on the emulator with the demo credentials, tuned by `settings` (its
    // endpoint is filled in).
    [[nodiscard]] ClientPtr client(ClientSettings settings = {}) const;

    std::string instance_id;
    std::string backup_id;  // succeeded and restorable
};

}  // namespace dcs::test
