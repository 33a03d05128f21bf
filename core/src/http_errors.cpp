#include "http_errors.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>

#include "json_codec.hpp"

namespace dcs::core {
namespace {

constexpr std::array<std::string_view, 34> kBusyCodes = {
    "DCS.4026",  "DCS.4049",  "DCS.4096",  "DCS.4097",     "DCS.4111",  "DCS.4113",  "DCS.4114",
    "DCS.4115",  "DCS.4116",  "DCS.4117",  "DCS.4118",     "DCS.4120",  "DCS.4121",  "DCS.4231",
    "DCS.4975",  "DCS.4017",  "DCS.4104",  "CBC.99003651", "111400026", "111400049", "111400096",
    "111400097", "111400111", "111400113", "111400114",    "111400115", "111400116", "111400117",
    "111400118", "111400120", "111400121", "111400017",    "111400104", "111400231",
};

constexpr std::array<std::string_view, 8> kPreconditionCodes = {
    "DCS.4086",  "DCS.4087",  "DCS.4094",  "DCS.4095",
    "111400086", "111400087", "111400094", "111400095",
};

// The API gateway puts the request id in its error bodies too ({"error_code": "APIGW.0301",
// "error_msg": ..., "request_id": ...}); used when no X-Request-Id header came.
std::string body_request_id(std::string_view body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return {};
    }
    auto it = doc.FindMember("request_id");
    if (it == doc.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return std::string(it->value.GetString(), it->value.GetStringLength()).substr(0, 128);
}

template <size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view code) {
    return std::find(set.begin(), set.end(), code) != set.end();
}

Status status_for(int http_status, std::string_view code) {
    if (http_status == 401 || http_status == 403) {
        return Status::Auth;
    }
    if (http_status == 404) {
        return Status::NotFound;
    }
    if (http_status == 429) {
        return Status::Throttled;
    }
    if (http_status >= 500) {
        return Status::Server;
    }
    if (is_busy_code(code)) {
        return Status::Busy;
    }
    if (is_precondition_code(code)) {
        return Status::Precondition;
    }
    return Status::Rejected;
}

}  // namespace

bool is_busy_code(std::string_view service_code) { return contains(kBusyCodes, service_code); }

bool is_backuping_code(std::string_view service_code) {
    return service_code == "DCS.4096" || service_code == "111400096";
}

bool is_precondition_code(std::string_view service_code) {
    return contains(kPreconditionCodes, service_code);
}

std::string body_snippet(std::string_view body, size_t max) {
    std::string out;
    for (char c : body.substr(0, max)) {
        auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : ' ';
    }
    if (body.size() > max) {
        out += "...";
    }
    return out;
}

Error error_from_response(const HttpResponse& response) {
    Error e;
    e.http_status = response.status;
    e.request_id = response.request_id;
    if (e.request_id.empty()) {
        e.request_id = body_request_id(response.body);
    }
    e.sent = Sent::Yes;
    e.retry_after_ms = response.retry_after_ms;
    e.resent = response.resent;
    auto service = parse_service_error(response.body);
    std::string http = "HTTP " + std::to_string(response.status);
    if (service) {
        e.service_code = service->code.substr(0, 64);
        e.service_message = service->message.substr(0, 1024);
        e.service_ext_message = service->ext_message.substr(0, 1024);
        e.status = status_for(response.status, e.service_code);
        e.message = std::string(status_name(e.status)) + ": " + http;
        if (!e.service_code.empty()) {
            // The code is the service's text too: sanitised, so the message stays one line.
            e.message += " " + body_snippet(e.service_code, 64);
        }
        if (!e.service_message.empty()) {
            e.message += ": " + body_snippet(e.service_message, 300);
        }
    } else {
        e.status = status_for(response.status, "");
        e.message = std::string(status_name(e.status)) + ": " + http;
        if (response.body.empty()) {
            e.message += " with an empty body";
        } else {
            e.message += " with a non-JSON body: " + body_snippet(response.body);
        }
    }
    if (!e.request_id.empty()) {
        e.message += " (request id " + body_snippet(e.request_id, 64) + ")";
    }
    return e;
}

Error bad_response(const HttpResponse& response, const Error& parse_error) {
    Error e = parse_error;
    e.status = Status::BadResponse;
    e.http_status = response.status;
    e.request_id = response.request_id;
    e.sent = Sent::Yes;
    e.message =
        "bad response: HTTP " + std::to_string(response.status) + ": " + parse_error.message;
    if (!response.body.empty()) {
        e.message += ": " + body_snippet(response.body, 80);
    }
    if (!e.request_id.empty()) {
        e.message += " (request id " + body_snippet(e.request_id, 64) + ")";
    }
    return e;
}

}  // namespace dcs::core
