// The TLS world of the reliability tests: certificates made by make_certs.sh in a temporary
// directory (removed at exit), and one HTTPS dcs-emulator per certificate, started on first use.
#pragma once

#include <string>

#include "emulator_process.hpp"
#include "raw_admin.hpp"

namespace dcs::test {

// The directory holding ca.pem and the <name>.pem/<name>.key pairs.
const std::string& tls_cert_dir();
std::string tls_ca_file();

struct TlsEmulator {
    EmulatorProcess process;
    RawAdmin admin;  // reaches it whatever its certificate (verification off)
};

// An emulator serving `cert` ("good", "self_signed", "expired" or "wrong_host").
TlsEmulator& tls_emulator(const std::string& cert);

}  // namespace dcs::test
