#include "emulator_fixture.hpp"

#include <cstdio>
#include <exception>

namespace dcs::test {
namespace {

// The timings the emulator started with (--timings fast), put back after every test.
const std::string& initial_timings() {
    static const std::string timings = admin().timings_json();
    return timings;
}

}  // namespace

EmulatorProcess& emulator() {
    static EmulatorProcess process;
    return process;
}

AdminClient& admin() {
    static AdminClient client(emulator().base_url());
    return client;
}

Sandbox::Sandbox(const InstanceSpec& instance) {
    initial_timings();
    admin().clear_faults();
    instance_id = admin().create_instance(instance);
    backup_id = admin().create_backup(instance_id);
    admin().clear_requests();
}

Sandbox::~Sandbox() {
    try {
        admin().clear_faults();
        admin().restore_timings(initial_timings());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sandbox teardown: %s\n", e.what());
    }
}

ClientPtr Sandbox::client(ClientSettings settings) const {
    settings.endpoint = emulator_url();
    return make_client(settings);
}

}  // namespace dcs::test
