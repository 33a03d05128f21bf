// error_from_response: how a non-2xx answer becomes a typed, single-line Error.
#include <doctest/doctest.h>

#include <string>

#include "http_errors.hpp"

using dcs::core::error_from_response;
using dcs::core::HttpResponse;
using dcs::core::Sent;
using dcs::core::Status;

namespace {

HttpResponse response(int status, std::string body, std::string request_id = "req-0001") {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.request_id = std::move(request_id);
    r.content_type = "application/json";
    return r;
}

std::string v2_body(const std::string& code, const std::string& msg,
                    const std::string& ext = "null") {
    return "{\"error_code\":\"" + code + "\",\"error_msg\":\"" + msg +
           "\",\"error_ext_msg\":" + ext + "}";
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

bool single_line(const std::string& s) {
    return s.find('\n') == std::string::npos && s.find('\r') == std::string::npos;
}

}  // namespace

TEST_CASE("the v2 error body surfaces every field and the request id") {
    auto e = error_from_response(response(
        400, v2_body("DCS.4097", "the instance is restoring.", "\"retry later\""), "req-abc-123"));
    CHECK(e.status == Status::Busy);
    CHECK(e.http_status == 400);
    CHECK(e.service_code == "DCS.4097");
    CHECK(e.service_message == "the instance is restoring.");
    CHECK(e.service_ext_message == "retry later");
    CHECK(e.request_id == "req-abc-123");
    CHECK(e.sent == Sent::Yes);
    CHECK(contains(e.message, "HTTP 400"));
    CHECK(contains(e.message, "DCS.4097"));
    CHECK(contains(e.message, "the instance is restoring."));
    CHECK(contains(e.message, "req-abc-123"));
    CHECK(single_line(e.message));
}

TEST_CASE("a null error_ext_msg reads as empty") {
    auto e = error_from_response(response(400, v2_body("111400062", "Invalid limit parameter.")));
    CHECK(e.service_ext_message.empty());
    CHECK(e.service_code == "111400062");
}

TEST_CASE("the nested {\"error\":{\"code\",\"message\"}} body is understood too") {
    auto e = error_from_response(response(
        404,
        "{\"error\":{\"code\":\"111404022\",\"message\":\"This DCS instance does not exist.\"}}"));
    CHECK(e.status == Status::NotFound);
    CHECK(e.service_code == "111404022");
    CHECK(e.service_message == "This DCS instance does not exist.");
    CHECK(contains(e.message, "111404022"));

    auto busy = error_from_response(response(
        400,
        "{\"error\":{\"code\":\"111400096\",\"message\":\"backuping\",\"ext_message\":\"x\"}}"));
    CHECK(busy.status == Status::Busy);
    CHECK(busy.service_ext_message == "x");
}

TEST_CASE("busy codes map to BUSY, in both families") {
    const char* busy[] = {"DCS.4026",  "DCS.4049",  "DCS.4096",    "DCS.4097",
                          "DCS.4111",  "DCS.4121",  "DCS.4975",    "111400096",
                          "111400097", "111400049", "CBC.99003651"};
    for (const char* code : busy) {
        CAPTURE(code);
        CHECK(error_from_response(response(400, v2_body(code, "busy"))).status == Status::Busy);
    }
}

TEST_CASE("codes that say the instance or backup cannot be restored map to PRECONDITION") {
    const char* precondition[] = {"DCS.4086",  "DCS.4087",  "DCS.4094",  "DCS.4095",
                                  "111400086", "111400087", "111400094", "111400095"};
    for (const char* code : precondition) {
        CAPTURE(code);
        CHECK(error_from_response(response(400, v2_body(code, "no"))).status ==
              Status::Precondition);
    }
}

TEST_CASE("any other 4xx is REJECTED") {
    const int statuses[] = {400, 405, 409, 412, 413, 422};
    for (int status : statuses) {
        CAPTURE(status);
        auto e = error_from_response(response(status, v2_body("111400062", "Invalid param.")));
        CHECK(e.status == Status::Rejected);
        CHECK(e.http_status == status);
    }
    CHECK(error_from_response(response(400, v2_body("DCS.9999", "unknown"))).status ==
          Status::Rejected);
}

TEST_CASE("the HTTP status decides before the service code for 401, 403, 404, 429 and 5xx") {
    struct Case {
        int http;
        Status expected;
    };
    const Case cases[] = {
        {401, Status::Auth},      {403, Status::Auth},   {404, Status::NotFound},
        {429, Status::Throttled}, {500, Status::Server}, {502, Status::Server},
        {503, Status::Server},    {504, Status::Server}, {599, Status::Server},
    };
    for (const Case& c : cases) {
        CAPTURE(c.http);
        // A busy code in the body must not turn an auth failure into "retry later".
        auto e = error_from_response(response(c.http, v2_body("DCS.4097", "restoring")));
        CHECK(e.status == c.expected);
        CHECK(e.http_status == c.http);
        CHECK(e.service_code == "DCS.4097");
        auto bare = error_from_response(response(c.http, ""));
        CHECK(bare.status == c.expected);
    }
}

TEST_CASE("the gateway's 401 body is surfaced") {
    auto e = error_from_response(response(
        401, v2_body("APIGW.0301",
                     "Incorrect IAM authentication information: verify aksk signature fail")));
    CHECK(e.status == Status::Auth);
    CHECK(e.service_code == "APIGW.0301");
    CHECK(contains(e.message, "HTTP 401"));
}

TEST_CASE("a 429 keeps its Retry-After") {
    auto r = response(429, v2_body("APIGW.0308", "throttled"));
    r.retry_after_ms = 3000;
    auto e = error_from_response(r);
    CHECK(e.status == Status::Throttled);
    CHECK(e.retry_after_ms == 3000);
    CHECK(error_from_response(response(429, "")).retry_after_ms == -1);
}

TEST_CASE("an HTML 502 from a proxy keeps the status and a sanitised snippet") {
    const std::string html =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n";
    auto r = response(502, html, "req-proxy");
    r.content_type = "text/html";
    auto e = error_from_response(r);
    CHECK(e.status == Status::Server);
    CHECK(e.http_status == 502);
    CHECK(e.service_code.empty());
    CHECK(contains(e.message, "HTTP 502"));
    CHECK(contains(e.message, "502 Bad Gateway"));
    CHECK(contains(e.message, "req-proxy"));
    CHECK(single_line(e.message));
}

TEST_CASE("a long or binary body is cut to a short printable snippet") {
    std::string body(5000, 'A');
    body[10] = '\n';
    body[11] = '\x01';
    body[12] = static_cast<char>(0xC3);
    auto e = error_from_response(response(500, body));
    CHECK(e.status == Status::Server);
    CHECK(single_line(e.message));
    CHECK(e.message.size() < 400);
    CHECK(contains(e.message, "..."));
    for (char c : e.message) {
        auto u = static_cast<unsigned char>(c);
        CHECK((u >= 0x20 && u < 0x7f));
    }
}

TEST_CASE("an empty error body says so") {
    auto e = error_from_response(response(500, ""));
    CHECK(e.status == Status::Server);
    CHECK(contains(e.message, "HTTP 500"));
    CHECK(contains(e.message, "empty"));
}

TEST_CASE("a service message with control characters cannot break the message line") {
    auto e = error_from_response(response(400, v2_body("DCS.4097", "line1\\r\\nX-Injected: 1")));
    CHECK(single_line(e.message));
    CHECK(e.service_message == "line1\r\nX-Injected: 1");  // the raw field, as sent
}

TEST_CASE("oversized fields are capped") {
    std::string long_code(500, 'C');
    std::string long_msg(5000, 'm');
    auto e =
        error_from_response(response(400, v2_body(long_code, long_msg, "\"" + long_msg + "\"")));
    CHECK(e.service_code.size() <= 64);
    CHECK(e.service_message.size() <= 1024);
    CHECK(e.service_ext_message.size() <= 1024);
    CHECK(e.message.size() < 600);
}

TEST_CASE("without a request id the message does not mention one") {
    auto e = error_from_response(response(500, "", ""));
    CHECK(e.request_id.empty());
    CHECK_FALSE(contains(e.message, "request id"));
}

// Every row of the emulator's error table (emulator/README.md, "Error codes"): the condition,
// the HTTP status and code the service answers, and what libdcs makes of it.
TEST_CASE("every code of the documented error table is classified") {
    struct Row {
        const char* condition;
        int http;
        const char* code;
        Status expected;
    };
    const Row rows[] = {
        {"instance id malformed", 400, "DCS.4061", Status::Rejected},
        {"instance not in the project", 404, "DCS.3022", Status::NotFound},
        {"empty body", 400, "DCS.4004", Status::Rejected},
        {"body not a JSON object", 400, "DCS.4005", Status::Rejected},
        {"backup_id missing, bad paging or backup_format", 400, "DCS.4062", Status::Rejected},
        {"backup not of this instance", 400, "DCS.4063", Status::Rejected},
        {"remark over 128 bytes", 400, "DCS.4098", Status::Rejected},
        {"single-node instance", 400, "DCS.4086", Status::Precondition},
        {"backup not succeeded or not restorable", 400, "DCS.4087", Status::Precondition},
        {"a restore is running", 400, "DCS.4097", Status::Busy},
        {"a backup is running", 400, "DCS.4096", Status::Busy},
        {"instance not RUNNING", 400, "DCS.4049", Status::Busy},
        {"delete: no such backup", 400, "DCS.4031", Status::Rejected},
        {"project not the credential's", 403, "DCS.2007", Status::Auth},
        {"bad signature, unknown AK, skew, token", 401, "APIGW.0301", Status::Auth},
        {"temporary credentials expired", 401, "APIGW.0307", Status::Auth},
        {"no such API (signed or not)", 404, "APIGW.0101", Status::NotFound},
        {"throttled by the gateway", 429, "APIGW.0308", Status::Throttled},
        {"request entity too large", 413, "APIGW.0201", Status::Rejected},
        {"internal service error", 500, "DCS.5000", Status::Server},
        // The v1 twins of the same conditions keep their classification.
        {"v1: not found", 404, "111404022", Status::NotFound},
        {"v1: single-node", 400, "111400086", Status::Precondition},
        {"v1: backup not succeeded", 400, "111400087", Status::Precondition},
        {"v1: restoring", 400, "111400097", Status::Busy},
        {"v1: backuping", 400, "111400096", Status::Busy},
        {"v1: invalid parameter", 400, "111400063", Status::Rejected},
    };
    for (const Row& row : rows) {
        CAPTURE(row.condition);
        auto e = error_from_response(response(row.http, v2_body(row.code, row.condition)));
        CHECK(e.status == row.expected);
        CHECK(e.http_status == row.http);
        CHECK(e.service_code == row.code);
        CHECK(e.request_id == "req-0001");
    }
    CHECK(dcs::core::is_backuping_code("DCS.4096"));
    CHECK_FALSE(dcs::core::is_busy_code("DCS.4031"));
    CHECK_FALSE(dcs::core::is_precondition_code("DCS.4063"));
}

TEST_CASE("a gateway error keeps the request id of its body when no header carries one") {
    const std::string body =
        "{\"error_code\":\"APIGW.0301\",\"error_msg\":\"Incorrect IAM authentication "
        "information: verify aksk signature fail\",\"request_id\":\"0123abcd\"}";
    auto e = error_from_response(response(401, body, ""));
    CHECK(e.status == Status::Auth);
    CHECK(e.service_code == "APIGW.0301");
    CHECK(e.request_id == "0123abcd");
    CHECK(contains(e.message, "0123abcd"));

    // The header wins when both are there.
    auto both = error_from_response(response(429, body, "hdr-1"));
    CHECK(both.status == Status::Throttled);
    CHECK(both.request_id == "hdr-1");

    // A request_id that is not a string, or a body that is not JSON, gives none.
    CHECK(error_from_response(response(401, "{\"request_id\":5}", "")).request_id.empty());
    CHECK(error_from_response(response(502, "<html>", "")).request_id.empty());
}
