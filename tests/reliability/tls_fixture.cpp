#include "tls_fixture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>

namespace dcs::test {
namespace {

class TempCertDir {
   public:
    TempCertDir() {
        char pattern[] = "/tmp/dcs-reliability-tls-XXXXXX";
        if (mkdtemp(pattern) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
        std::string command =
            std::string("'") + DCS_RELIABILITY_DIR + "/make_certs.sh' '" + path_ + "'";
        if (std::system(command.c_str()) != 0) {
            throw std::runtime_error("make_certs.sh failed: " + command);
        }
    }
    ~TempCertDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempCertDir(const TempCertDir&) = delete;
    TempCertDir& operator=(const TempCertDir&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }

   private:
    std::string path_;
};

}  // namespace

const std::string& tls_cert_dir() {
    static TempCertDir dir;
    return dir.path();
}

std::string tls_ca_file() { return tls_cert_dir() + "/ca.pem"; }

TlsEmulator& tls_emulator(const std::string& cert) {
    // Declared after the directory's first use so that the emulators stop before their
    // certificates are removed.
    const std::string& dir = tls_cert_dir();
    static std::map<std::string, std::unique_ptr<TlsEmulator>> running;
    auto it = running.find(cert);
    if (it == running.end()) {
        auto emulator = std::unique_ptr<TlsEmulator>(
            new TlsEmulator{EmulatorProcess({"--tls-cert", dir + "/" + cert + ".pem", "--tls-key",
                                             dir + "/" + cert + ".key"}),
                            RawAdmin{}});
        emulator->admin.base_url = emulator->process.base_url();
        emulator->admin.insecure = true;
        it = running.emplace(cert, std::move(emulator)).first;
    }
    return *it->second;
}

}  // namespace dcs::test
