#include "admin_client.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

namespace dcs::test {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

size_t append_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

void put(JsonWriter& w, const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void put(JsonWriter& w, const char* key, int64_t value) {
    w.Key(key);
    w.Int64(value);
}

template <class Fill>
std::string json_object(Fill&& fill) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    fill(w);
    w.EndObject();
    return buffer.GetString();
}

rapidjson::Document parse(const std::string& body, const std::string& what) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("admin API: " + what +
                                 " answered non-JSON: " + body.substr(0, 200));
    }
    return doc;
}

std::string string_field(const rapidjson::Value& v, const char* name) {
    auto it = v.FindMember(name);
    return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

int64_t int_field(const rapidjson::Value& v, const char* name) {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd() || !it->value.IsInt64()) {
        throw std::runtime_error(std::string("admin API: missing integer field ") + name);
    }
    return it->value.GetInt64();
}

}  // namespace

AdminClient::AdminClient(std::string base_url) : base_url_(std::move(base_url)) {
    curl_ = curl_easy_init();
    if (curl_ == nullptr) {
        throw std::runtime_error("curl_easy_init failed");
    }
}

AdminClient::~AdminClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

AdminClient::Reply AdminClient::exchange(const std::string& method, const std::string& path,
                                         const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    CURL* curl = static_cast<CURL*>(curl_);
    Reply reply;
    std::string url = base_url_ + path;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_reset(curl);  // keeps the connection cache
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        throw std::runtime_error("admin API " + method + " " + path + ": " +
                                 curl_easy_strerror(rc));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

std::string AdminClient::call(const std::string& method, const std::string& path,
                              const std::string& body, long expected) {
    Reply reply = exchange(method, path, body);
    if (reply.status != expected) {
        throw std::runtime_error("admin API " + method + " " + path + " answered HTTP " +
                                 std::to_string(reply.status) + ": " + reply.body);
    }
    return reply.body;
}

std::string AdminClient::create_instance(const InstanceSpec& spec) {
    std::string body = json_object([&](JsonWriter& w) {
        if (!spec.name.empty()) {
            put(w, "name", spec.name);
        }
        put(w, "cache_mode", spec.cache_mode);
        put(w, "status", spec.status);
    });
    auto doc = parse(call("POST", "/_emulator/instances", body, 201), "create instance");
    std::string id = string_field(doc, "instance_id");
    if (id.empty()) {
        throw std::runtime_error("admin API: created instance has no instance_id");
    }
    return id;
}

void AdminClient::patch_instance(const std::string& instance_id,
                                 const std::optional<std::string>& status,
                                 const std::optional<std::string>& cache_mode) {
    std::string body = json_object([&](JsonWriter& w) {
        if (status) {
            put(w, "status", *status);
        }
        if (cache_mode) {
            put(w, "cache_mode", *cache_mode);
        }
    });
    call("PATCH", "/_emulator/instances/" + instance_id, body, 200);
}

std::string AdminClient::create_backup(const std::string& instance_id, const BackupSpec& spec) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "status", spec.status);
        put(w, "is_support_restore", spec.is_support_restore);
        if (!spec.remark.empty()) {
            put(w, "remark", spec.remark);
        }
        if (!spec.created_at.empty()) {
            put(w, "created_at", spec.created_at);
        }
        if (!spec.backup_type.empty()) {
            put(w, "backup_type", spec.backup_type);
        }
    });
    auto doc = parse(call("POST", "/_emulator/instances/" + instance_id + "/backups", body, 201),
                     "create backup");
    std::string id = string_field(doc, "backup_id");
    if (id.empty()) {
        throw std::runtime_error("admin API: created backup has no backup_id");
    }
    return id;
}

int64_t AdminClient::restores_started(const std::string& instance_id) {
    auto doc = parse(call("GET", "/_emulator/instances/" + instance_id, "", 200), "instance");
    return int_field(doc, "restores_started");
}

int64_t AdminClient::restore_posts(const std::string& instance_id) {
    auto doc = parse(call("GET", "/_emulator/instances/" + instance_id, "", 200), "instance");
    if (!doc.HasMember("restore_posts")) {
        throw std::runtime_error("admin API: the instance has no restore_posts counter");
    }
    return int_field(doc, "restore_posts");
}

int64_t AdminClient::fault_fired(const std::string& fault_id) {
    auto doc = parse(call("GET", "/_emulator/faults", "", 200), "faults");
    auto list = doc.FindMember("faults");
    if (list == doc.MemberEnd() || !list->value.IsArray()) {
        throw std::runtime_error("admin API: the fault list has no \"faults\" array");
    }
    for (const auto& fault : list->value.GetArray()) {
        if (string_field(fault, "id") == fault_id) {
            return int_field(fault, "fired");
        }
    }
    throw std::runtime_error("admin API: no fault " + fault_id);
}

int64_t AdminClient::backups_started(const std::string& instance_id) {
    auto doc = parse(call("GET", "/_emulator/instances/" + instance_id, "", 200), "instance");
    return int_field(doc, "backups_started");
}

void AdminClient::add_credential(const std::string& access_key, const std::string& secret_key,
                                 const std::string& project_id, const std::string& security_token,
                                 const std::string& expires_at) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "ak", access_key);
        put(w, "sk", secret_key);
        put(w, "project_id", project_id);
        if (!security_token.empty()) {
            put(w, "security_token", security_token);
        }
        if (!expires_at.empty()) {
            put(w, "expires_at", expires_at);
        }
    });
    call("POST", "/_emulator/credentials", body, 201);
}

void AdminClient::put_data(const std::string& instance_id,
                           const std::map<std::string, std::string>& data) {
    std::string body = json_object([&](JsonWriter& w) {
        for (const auto& [key, value] : data) {
            put(w, key.c_str(), value);
        }
    });
    call("PUT", "/_emulator/instances/" + instance_id + "/data", body, 200);
}

std::map<std::string, std::string> AdminClient::get_data(const std::string& instance_id) {
    auto doc = parse(call("GET", "/_emulator/instances/" + instance_id + "/data", "", 200),
                     "instance data");
    std::map<std::string, std::string> data;
    for (const auto& member : doc.GetObject()) {
        if (member.value.IsString()) {
            data[member.name.GetString()] = member.value.GetString();
        }
    }
    return data;
}

std::string AdminClient::add_fault(const FaultSpec& fault) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "operation", fault.operation);
        put(w, "kind", fault.kind);
        if (fault.count > 0) {
            put(w, "count", fault.count);
        }
        if (fault.status > 0) {
            put(w, "status", fault.status);
        }
        if (!fault.body.empty()) {
            put(w, "body", fault.body);
        }
        if (!fault.headers.empty()) {
            w.Key("headers");
            w.StartObject();
            for (const auto& [name, value] : fault.headers) {
                put(w, name.c_str(), value);
            }
            w.EndObject();
        }
        if (fault.delay_ms > 0) {
            put(w, "delay_ms", fault.delay_ms);
        }
        if (fault.retry_after > 0) {
            put(w, "retry_after", fault.retry_after);
        }
        if (!fault.instance_id.empty()) {
            put(w, "instance_id", fault.instance_id);
        }
    });
    auto doc = parse(call("POST", "/_emulator/faults", body, 201), "add fault");
    return string_field(doc, "id");
}

void AdminClient::clear_faults() { call("DELETE", "/_emulator/faults", "", 200); }

std::vector<LoggedRequest> AdminClient::requests() {
    auto doc = parse(call("GET", "/_emulator/requests", "", 200), "request log");
    std::vector<LoggedRequest> out;
    auto list = doc.FindMember("requests");
    if (list == doc.MemberEnd() || !list->value.IsArray()) {
        throw std::runtime_error("admin API: request log has no \"requests\" array");
    }
    for (const auto& entry : list->value.GetArray()) {
        LoggedRequest r;
        r.method = string_field(entry, "method");
        r.path = string_field(entry, "path");
        r.query = string_field(entry, "query");
        r.operation = string_field(entry, "operation");
        r.body = string_field(entry, "body");
        r.access_key = string_field(entry, "access_key");
        r.fault = string_field(entry, "fault");
        r.status = static_cast<int>(int_field(entry, "status"));
        auto headers = entry.FindMember("signed_headers");
        if (headers != entry.MemberEnd() && headers->value.IsArray()) {
            for (const auto& h : headers->value.GetArray()) {
                r.signed_headers.emplace_back(h.GetString());
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

void AdminClient::clear_requests() { call("DELETE", "/_emulator/requests", "", 200); }

EmulatorStats AdminClient::stats() {
    auto doc = parse(call("GET", "/_emulator/stats", "", 200), "stats");
    EmulatorStats s;
    s.connections_accepted = int_field(doc, "connections_accepted");
    s.requests = int_field(doc, "requests");
    s.restores_started = int_field(doc, "restores_started");
    s.backups_started = int_field(doc, "backups_started");
    return s;
}

int64_t AdminClient::stat(const std::string& name) {
    auto doc = parse(call("GET", "/_emulator/stats", "", 200), "stats");
    if (!doc.HasMember(name.c_str())) {
        throw std::runtime_error("admin API: no counter " + name);
    }
    return int_field(doc, name.c_str());
}

void AdminClient::set_metadata(const std::string& project_id, int64_t ttl_ms) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "project_id", project_id);
        put(w, "ttl_ms", ttl_ms);
    });
    call("PUT", "/_emulator/metadata", body, 200);
}

void AdminClient::set_timings(const TimingsPatch& patch) {
    std::string body = json_object([&](JsonWriter& w) {
        auto maybe = [&](const char* key, const std::optional<int64_t>& v) {
            if (v) {
                put(w, key, *v);
            }
        };
        maybe("restore_waiting_ms", patch.restore_waiting_ms);
        maybe("restore_running_ms", patch.restore_running_ms);
        maybe("backup_waiting_ms", patch.backup_waiting_ms);
        maybe("backup_running_ms", patch.backup_running_ms);
        maybe("restore_listing_delay_ms", patch.restore_listing_delay_ms);
        if (patch.fail_restores) {
            put(w, "fail_restores", *patch.fail_restores);
        }
    });
    call("PUT", "/_emulator/timings", body, 200);
}

void AdminClient::set_restore_timings(const std::string& instance_id, int64_t waiting_ms,
                                      int64_t running_ms) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "restore_waiting_ms", waiting_ms);
        put(w, "restore_running_ms", running_ms);
    });
    call("PUT", "/_emulator/instances/" + instance_id + "/restore_timings", body, 200);
}

void AdminClient::seed_restores(const std::string& instance_id, int count, int64_t newest_age_ms) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "count", int64_t{count});
        put(w, "newest_age_ms", newest_age_ms);
    });
    call("POST", "/_emulator/instances/" + instance_id + "/restores", body, 201);
}

int64_t AdminClient::seed_backups(const std::string& instance_id, const BackupHistorySpec& spec) {
    std::string body = json_object([&](JsonWriter& w) {
        put(w, "count", int64_t{spec.count});
        put(w, "status", spec.status);
        put(w, "is_support_restore", spec.is_support_restore);
        put(w, "newest_age_ms", spec.newest_age_ms);
        put(w, "spacing_ms", spec.spacing_ms);
    });
    auto doc =
        parse(call("POST", "/_emulator/instances/" + instance_id + "/backup_history", body, 201),
              "backup history");
    return int_field(doc, "backups");
}

std::string AdminClient::timings_json() { return call("GET", "/_emulator/timings", "", 200); }

void AdminClient::restore_timings(const std::string& json) {
    call("PUT", "/_emulator/timings", json, 200);
}

}  // namespace dcs::test
