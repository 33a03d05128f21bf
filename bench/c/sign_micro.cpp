// The cost of signing one restore request with the core's signer (SDK-HMAC-SHA256:
// canonical request, SHA-256 of the body and of the canonical request, one HMAC), exactly
// the call Client::attempt makes, with the headers it signs: prepared once per client, then
// signed per request.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

// The public header by path: this program links the core's objects, whose include path
// (core/src) does not carry it. It gives the User-Agent the library sends.
#include "../../capi/include/dcs/dcs.h"
#include "signer.hpp"

extern "C" {
#include "bench_util.h"
}

int main(int argc, char** argv) {
    long calls = argc > 1 ? std::atol(argv[1]) : 100000;
    int reps = argc > 2 ? std::atoi(argv[2]) : 5;
    const dcs::core::Signer signer({BENCH_AK, BENCH_SK, ""});
    const dcs::core::RequestTemplate prepared =
        signer.prepare("127.0.0.1:8080", {{"Content-Type", "application/json"},
                                          {"User-Agent", "libdcs/" DCS_VERSION_STRING},
                                          {"X-Project-Id", BENCH_PROJECT}});
    const std::string path =
        std::string("/v2/") + BENCH_PROJECT + "/instances/" + BENCH_INSTANCE + "/restores";
    const std::string body = std::string("{\"backup_id\":\"") + BENCH_BACKUP + "\"}";
    size_t sink = 0;                         // keeps the optimiser from dropping the work
    for (int rep = -1; rep < reps; rep++) {  // rep -1 is the warm-up
        double start = bench_now();
        for (long i = 0; i < calls; i++) {
            auto signed_request = signer.sign_request(prepared, "POST", path, {}, body);
            sink += signed_request.headers.size();
        }
        double seconds = bench_now() - start;
        if (rep >= 0)
            std::printf("{\"rep\": %d, \"calls\": %ld, \"seconds\": %.6f, \"sink\": %zu}\n", rep,
                        calls, seconds, sink);
    }
    return 0;
}
