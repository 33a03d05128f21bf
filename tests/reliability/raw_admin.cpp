#include "raw_admin.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <memory>
#include <stdexcept>
#include <utility>

namespace dcs::test {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string RawAdmin::request(const std::string& method, const std::string& path,
                              const std::string& body) const {
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) {
        throw std::runtime_error("curl_easy_init failed");
    }
    std::unique_ptr<curl_slist, SlistFree> headers(
        curl_slist_append(nullptr, "Content-Type: application/json"));
    std::string url = base_url + "/_emulator/" + path;
    std::string answer;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    if (!body.empty()) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!ca_file.empty()) {
        curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
    }
    if (insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        throw std::runtime_error("admin " + method + " " + path + ": " + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        throw std::runtime_error("admin " + method + " " + path + ": HTTP " +
                                 std::to_string(status) + ": " + answer);
    }
    return answer;
}

int64_t RawAdmin::stat(const std::string& name) const {
    return json_int_field(request("GET", "stats"), name);
}

WireWatch::WireWatch(RawAdmin admin) : admin_(std::move(admin)) {
    WireCounts first = read();
    base_ = read();
    reading_ = {base_.connections - first.connections, base_.bytes - first.bytes};
}

WireCounts WireWatch::since() const {
    WireCounts now = read();
    return {now.connections - base_.connections - reading_.connections,
            now.bytes - base_.bytes - reading_.bytes};
}

WireCounts WireWatch::read() const {
    std::string stats = admin_.request("GET", "stats");
    return {json_int_field(stats, "connections_accepted"), json_int_field(stats, "bytes_received")};
}

int64_t json_int_field(const std::string& json, const std::string& name) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("not a JSON object: " + json.substr(0, 200));
    }
    auto it = doc.FindMember(name.c_str());
    if (it == doc.MemberEnd() || !it->value.IsInt64()) {
        throw std::runtime_error("no integer field " + name + " in " + json.substr(0, 200));
    }
    return it->value.GetInt64();
}

}  // namespace dcs::test
