// The connection pattern of the official C++ SDK (huaweicloud-sdk-cpp-v3's HttpClient):
// every request runs curl_global_init, a fresh easy handle, the exchange, then
// curl_easy_cleanup and curl_global_cleanup, so every call pays a new TCP connection and,
// over HTTPS, a full TLS handshake plus loading the CA file. Requests are signed with
// libdcs's own signer, so the only difference from libdcs is the connection handling.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "signer.hpp"

extern "C" {
#include "bench_util.h"
}

namespace {

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

// "https://127.0.0.1:443" -> "127.0.0.1:443": the Host header the signature covers.
std::string host_of(const std::string& url) {
    auto start = url.find("://");
    return start == std::string::npos ? url : url.substr(start + 3);
}

void restore(const dcs::core::Signer& signer, const bench_options& o, long i) {
    const bench_target* t = bench_target_at(&o, i);
    std::string path =
        std::string("/v2/") + BENCH_PROJECT + "/instances/" + t->instance + "/restores";
    std::string body = std::string("{\"backup_id\":\"") + t->backup + "\"}";
    dcs::core::SignedRequest signed_request = signer.sign_request(
        "POST", host_of(o.url), path, {}, {{"Content-Type", "application/json"}}, body);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* h = curl_easy_init();
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : signed_request.headers)
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    std::string url = o.url + signed_request.path_and_query;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (o.ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    if (rc != CURLE_OK || status != 200) {
        std::fprintf(stderr, "call %ld failed: %s, HTTP %ld\n", i, curl_easy_strerror(rc), status);
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    bench_options o;
    bench_parse(argc, argv, &o);
    dcs::core::Signer signer({BENCH_AK, BENCH_SK, ""});
    for (long i = 0; i < o.warmup; i++) restore(signer, o, i);
    for (int rep = 0; rep < o.reps; rep++) {
        double start = bench_now();
        for (long i = 0; i < o.calls; i++) restore(signer, o, o.warmup + i);
        std::printf("{\"rep\": %d, \"calls\": %ld, \"seconds\": %.6f}\n", rep, o.calls,
                    bench_now() - start);
        std::fflush(stdout);
    }
    return 0;
}
