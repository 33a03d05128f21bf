// Tests of request-body encoding and tolerant response decoding, using the response shapes the
// DCS documentation itself shows (including its {} where strings are declared).
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstring>
#include <string>

#include "json_codec.hpp"

using namespace dcs::core;

namespace {

// ListRestoreRecords example response (OTC querying_dcs_instance_restoration_records.rst).
constexpr const char* kRestorePageExample = R"({
  "restore_record_response" : [ {
    "backup_id" : "f4823e9e-fe9b-4ffd-be79-4e5d6de272bb",
    "restore_id" : "a6155972-800c-4170-a479-3231e907d2f6",
    "backup_name" : "backup_20170718000002",
    "updated_at" : "2017-07-18T21:41:35.182Z",
    "restore_remark" : "doctest",
    "created_at" : "2017-07-18T21:41:20.721Z",
    "progress" : "100.00",
    "error_code" : { },
    "restore_name" : "restore_20170718214120",
    "backup_remark" : { },
    "status" : "succeed"
  } ],
  "total_num" : 1
})";

// ListBackupRecords example response (OTC listing_dcs_instance_backup_records.rst).
constexpr const char* kBackupPageExample = R"({
  "total_num" : 1,
  "backup_record_response" : [ {
    "period" : { },
    "backup_type" : "manual",
    "created_at" : "2019-05-10T08:31:16.166Z",
    "remark" : "001",
    "is_support_restore" : "TRUE",
    "backup_id" : "4631832a-14c6-45b0-a0b3-3abd8f591ad1",
    "backup_name" : "backup_20190510163116",
    "instance_id" : "5560df16-cebf-4473-95c4-d1b573c16e79",
    "size" : 880232,
    "updated_at" : "2019-05-10T08:32:30.546Z",
    "progress" : "100.00",
    "error_code" : { },
    "status" : "succeed",
    "execution_at" : "2019-05-11T08:31:16.166Z",
    "backup_format" : "aof"
  } ]
})";

void check_bad_response(const Error& e) {
    CHECK(e.status == Status::BadResponse);
    CHECK(e.sent == Sent::Yes);
    CHECK_FALSE(e.message.empty());
    CHECK(e.message.size() < 80);
}

// The value of "remark" after a round trip through a real JSON parser.
std::string remark_after_round_trip(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    REQUIRE_FALSE(doc.HasParseError());
    const auto& remark = doc["remark"];
    return std::string(remark.GetString(), remark.GetStringLength());
}

}  // namespace

TEST_CASE("encode_restore_body produces the exact bytes the signing vectors sign") {
    CHECK(encode_restore_body("8ba256cb-e5ac-44f6-a3da-c03d8f0e5029", "restore instance") ==
          R"({"backup_id":"8ba256cb-e5ac-44f6-a3da-c03d8f0e5029","remark":"restore instance"})");
    CHECK(encode_restore_body("8ba256cb-e5ac-44f6-a3da-c03d8f0e5029", std::nullopt) ==
          R"({"backup_id":"8ba256cb-e5ac-44f6-a3da-c03d8f0e5029"})");
    CHECK(encode_restore_body("8ba256cb-e5ac-44f6-a3da-c03d8f0e5029",
                              "nightly \"restore\" \xE6\x81\xA2\xE5\xA4\x8D \xE2\x9C\x93") ==
          "{\"backup_id\":\"8ba256cb-e5ac-44f6-a3da-c03d8f0e5029\",\"remark\":\"nightly "
          "\\\"restore\\\" \xE6\x81\xA2\xE5\xA4\x8D \xE2\x9C\x93\"}");
    CHECK(encode_restore_body("b", std::string()) == R"({"backup_id":"b","remark":""})");
}

TEST_CASE("encode escapes quotes, backslashes and control characters") {
    CHECK(encode_restore_body("b", std::string("q\"b\\s/")) ==
          R"({"backup_id":"b","remark":"q\"b\\s/"})");
    CHECK(encode_restore_body("b", std::string("\x01\x1F")) ==
          R"({"backup_id":"b","remark":"\u0001\u001F"})");
    CHECK(encode_restore_body("b", std::string("a\0b", 3)) ==
          R"({"backup_id":"b","remark":"a\u0000b"})");
    CHECK(encode_restore_body("b", std::string("\n\r\t")) ==
          R"({"backup_id":"b","remark":"\n\r\t"})");

    std::string every_ascii;
    for (int c = 0; c <= 0x7F; ++c) every_ascii.push_back(static_cast<char>(c));
    const std::string body = encode_restore_body("b", every_ascii);
    for (char c : body) CHECK(static_cast<unsigned char>(c) >= 0x20);  // no raw control byte
    CHECK(remark_after_round_trip(body) == every_ascii);
}

TEST_CASE("encode passes UTF-8 through unchanged") {
    const std::string text = "\xE6\x81\xA2\xE5\xA4\x8D \xC3\xA9 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
    const std::string body = encode_restore_body("b", text);
    CHECK(body.find(text) != std::string::npos);  // raw bytes, not \u escapes
    CHECK(remark_after_round_trip(body) == text);
}

TEST_CASE("encode_backup_body omits absent fields") {
    CHECK(encode_backup_body(std::nullopt, std::nullopt) == "{}");
    CHECK(encode_backup_body(std::nullopt, std::string("aof")) == R"({"backup_format":"aof"})");
    CHECK(encode_backup_body(std::string("r \"1\""), std::nullopt) == R"({"remark":"r \"1\""})");
    CHECK(encode_backup_body(std::string("nightly"), std::string("rdb")) ==
          R"({"remark":"nightly","backup_format":"rdb"})");
}

TEST_CASE("parse_restore_page reads the documented example, {} becoming empty strings") {
    const auto page = parse_restore_page(kRestorePageExample);
    REQUIRE(page.ok());
    CHECK(page.value().total_num == 1);
    REQUIRE(page.value().records.size() == 1);
    const RestoreRecord& r = page.value().records[0];
    CHECK(r.restore_id == "a6155972-800c-4170-a479-3231e907d2f6");
    CHECK(r.backup_id == "f4823e9e-fe9b-4ffd-be79-4e5d6de272bb");
    CHECK(r.backup_name == "backup_20170718000002");
    CHECK(r.restore_name == "restore_20170718214120");
    CHECK(r.restore_remark == "doctest");
    CHECK(r.status == "succeed");
    CHECK(r.progress == "100.00");
    CHECK(r.created_at == "2017-07-18T21:41:20.721Z");
    CHECK(r.updated_at == "2017-07-18T21:41:35.182Z");
    CHECK(r.error_code == "");
    CHECK(r.backup_remark == "");
    // What the strings mean, parsed once for every layer.
    CHECK(r.progress_percent == 100.0);
    CHECK(r.created_at_ms == 1500414080721);
    CHECK(r.updated_at_ms == 1500414095182);
}

TEST_CASE("parse_backup_page reads the documented example") {
    const auto page = parse_backup_page(kBackupPageExample);
    REQUIRE(page.ok());
    CHECK(page.value().total_num == 1);
    REQUIRE(page.value().records.size() == 1);
    const BackupRecord& b = page.value().records[0];
    CHECK(b.backup_id == "4631832a-14c6-45b0-a0b3-3abd8f591ad1");
    CHECK(b.backup_name == "backup_20190510163116");
    CHECK(b.instance_id == "5560df16-cebf-4473-95c4-d1b573c16e79");
    CHECK(b.backup_type == "manual");
    CHECK(b.status == "succeed");
    CHECK(b.progress == "100.00");
    CHECK(b.remark == "001");
    CHECK(b.is_support_restore == "TRUE");
    CHECK(b.backup_format == "aof");
    CHECK(b.created_at == "2019-05-10T08:31:16.166Z");
    CHECK(b.updated_at == "2019-05-10T08:32:30.546Z");
    CHECK(b.execution_at == "2019-05-11T08:31:16.166Z");
    CHECK(b.size == 880232);
    CHECK(b.period == "");
    CHECK(b.error_code == "");
    CHECK(b.restorable);
    CHECK(b.progress_percent == 100.0);
    CHECK(b.created_at_ms == 1557477076166);
    CHECK(b.updated_at_ms == 1557477150546);
    CHECK(b.execution_at_ms == 1557563476166);
}

TEST_CASE("restorable is one rule: is_support_restore says TRUE, in any case") {
    auto restorable = [](const char* value) {
        std::string body = std::string(R"({"backup_record_response":[{"backup_id":"b",)") +
                           R"("is_support_restore":)" + value + "}]}";
        auto page = parse_backup_page(body);
        REQUIRE(page.ok());
        REQUIRE(page.value().records.size() == 1);
        return page.value().records[0].restorable;
    };
    CHECK(restorable(R"("TRUE")"));
    CHECK(restorable(R"("true")"));
    CHECK(restorable(R"("True")"));
    CHECK_FALSE(restorable(R"("FALSE")"));
    CHECK_FALSE(restorable(R"("")"));
    CHECK_FALSE(restorable("{}"));
    // Tolerant decoding reads a JSON boolean as its text, so it means the same.
    CHECK(restorable("true"));
    CHECK_FALSE(restorable("false"));
    CHECK_FALSE(restorable(R"("TRUEISH")"));
    CHECK_FALSE(restorable("null"));
}

TEST_CASE("string fields tolerate null, arrays, absence and unknown neighbours") {
    const auto page = parse_restore_page(R"({
        "restore_record_response": [{
            "restore_id": "r1",
            "backup_id": null,
            "status": ["succeed"],
            "error_code": {"nested": "x"},
            "future_field": {"a": [1, 2, {"b": null}]},
            "another": true
        }],
        "total_num": 1,
        "unknown_top_level": "ignored"
    })");
    REQUIRE(page.ok());
    REQUIRE(page.value().records.size() == 1);
    const RestoreRecord& r = page.value().records[0];
    CHECK(r.restore_id == "r1");
    CHECK(r.backup_id == "");
    CHECK(r.status == "");
    CHECK(r.error_code == "");
    CHECK(r.restore_remark == "");  // absent
    CHECK(r.progress == "");        // absent
}

TEST_CASE("numbers where strings are declared become their decimal text") {
    const auto page = parse_restore_page(
        R"({"restore_record_response": [
              {"restore_id": 12345, "progress": 42.5},
              {"restore_id": "r2", "progress": 100.00},
              {"restore_id": "r3", "progress": 7, "status": true}
           ], "total_num": 3})");
    REQUIRE(page.ok());
    REQUIRE(page.value().records.size() == 3);
    CHECK(page.value().records[0].restore_id == "12345");
    CHECK(page.value().records[0].progress == "42.5");
    CHECK(page.value().records[1].progress == "100.00");  // source text kept, not 100 or 100.0
    CHECK(page.value().records[2].progress == "7");
    CHECK(page.value().records[2].status == "true");
}

TEST_CASE("integer fields accept numbers and numeric strings, else -1") {
    const auto size_of = [](const std::string& size_json) {
        const auto page =
            parse_backup_page(R"({"backup_record_response": [{"size": )" + size_json + "}]}");
        REQUIRE(page.ok());
        REQUIRE(page.value().records.size() == 1);
        return page.value().records[0].size;
    };
    CHECK(size_of("880232") == 880232);
    CHECK(size_of("\"880232\"") == 880232);
    CHECK(size_of("0") == 0);
    CHECK(size_of("9007199254740993") == 9007199254740993);  // beyond double precision
    CHECK(size_of("\"abc\"") == -1);
    CHECK(size_of("\"\"") == -1);
    CHECK(size_of("\" 12\"") == -1);
    CHECK(size_of("1.5") == -1);
    CHECK(size_of("-3") == -1);
    CHECK(size_of("null") == -1);
    CHECK(size_of("{}") == -1);
    CHECK(size_of("99999999999999999999") == -1);  // overflows int64

    const auto total = parse_backup_page(R"({"total_num": "7", "backup_record_response": []})");
    REQUIRE(total.ok());
    CHECK(total.value().total_num == 7);
    const auto no_total = parse_backup_page(R"({"backup_record_response": []})");
    REQUIRE(no_total.ok());
    CHECK(no_total.value().total_num == -1);
}

TEST_CASE("an empty body is an empty page (HTTP 204)") {
    for (const char* body : {"", " \r\n"}) {
        const auto restores = parse_restore_page(body);
        REQUIRE(restores.ok());
        CHECK(restores.value().records.empty());
        CHECK(restores.value().total_num == 0);
        const auto backups = parse_backup_page(body);
        REQUIRE(backups.ok());
        CHECK(backups.value().records.empty());
        CHECK(backups.value().total_num == 0);
    }
}

TEST_CASE("a missing or null record list is empty; a non-array list is refused") {
    const auto missing = parse_restore_page("{}");
    REQUIRE(missing.ok());
    CHECK(missing.value().records.empty());
    CHECK(missing.value().total_num == -1);

    const auto null_list = parse_backup_page(R"({"backup_record_response": null, "total_num": 0})");
    REQUIRE(null_list.ok());
    CHECK(null_list.value().records.empty());
    CHECK(null_list.value().total_num == 0);

    const auto non_objects =
        parse_restore_page(R"({"restore_record_response": [1, "x", null, {"restore_id": "r"}]})");
    REQUIRE(non_objects.ok());
    REQUIRE(non_objects.value().records.size() == 1);
    CHECK(non_objects.value().records[0].restore_id == "r");

    const auto object_list = parse_restore_page(R"({"restore_record_response": {}})");
    REQUIRE_FALSE(object_list.ok());
    check_bad_response(object_list.error());
}

TEST_CASE("malformed JSON is a BadResponse") {
    const std::string bodies[] = {
        "{",
        R"({"restore_record_response": [)",
        R"({"total_num": 1,})",
        "{} trailing",
        std::string("{}\0{\"x\":1}", 10),
        "<html><body>502 Bad Gateway</body></html>",
        "not json",
    };
    for (const auto& body : bodies) {
        CAPTURE(body);
        const auto restores = parse_restore_page(body);
        REQUIRE_FALSE(restores.ok());
        check_bad_response(restores.error());
        CHECK(restores.error().message == "response is not valid JSON");

        const auto backups = parse_backup_page(body);
        REQUIRE_FALSE(backups.ok());
        check_bad_response(backups.error());

        const auto instance = parse_instance(body);
        REQUIRE_FALSE(instance.ok());
        check_bad_response(instance.error());

        const auto id = parse_restore_id(body);
        REQUIRE_FALSE(id.ok());
        check_bad_response(id.error());
    }
}

TEST_CASE("a JSON value that is not an object is a BadResponse") {
    for (const char* body : {"[]", "null", "\"text\"", "42"}) {
        CAPTURE(body);
        const auto page = parse_restore_page(body);
        REQUIRE_FALSE(page.ok());
        check_bad_response(page.error());
        CHECK(page.error().message == "response is not a JSON object");
    }
}

TEST_CASE("deeply nested bodies neither crash nor recurse without bound") {
    const size_t depth = 1000000;
    const std::string arrays = R"({"restore_record_response": [], "x": )" +
                               std::string(depth, '[') + std::string(depth, ']') + "}";
    const auto page = parse_restore_page(arrays);
    REQUIRE(page.ok());
    CHECK(page.value().records.empty());

    std::string objects;
    for (size_t i = 0; i < depth; ++i) objects += R"({"a":)";
    objects += "1" + std::string(depth, '}');
    CHECK_FALSE(parse_service_error(objects).has_value());
}

TEST_CASE("a listed record whose id could not be sent back makes the page a bad response") {
    for (const char* id : {R"(abc\u0000def)", R"(abc\ndef)", "../etc", "a b"}) {
        CAPTURE(id);
        const std::string restores =
            std::string(R"({"restore_record_response": [{"restore_id": "ok"}, {"restore_id": ")") +
            id + R"("}]})";
        const auto page = parse_restore_page(restores);
        REQUIRE_FALSE(page.ok());
        check_bad_response(page.error());
        CHECK(page.error().message.find("restore_id is not an id") != std::string::npos);

        const std::string backups =
            std::string(R"({"backup_record_response": [{"backup_id": ")") + id + R"("}]})";
        const auto backup_page = parse_backup_page(backups);
        REQUIRE_FALSE(backup_page.ok());
        CHECK(backup_page.error().message.find("backup_id is not an id") != std::string::npos);
    }
}

TEST_CASE("a NUL inside a text field becomes U+FFFD instead of cutting the text short") {
    const auto page = parse_restore_page(
        R"({"restore_record_response": [{"restore_id": "r1", "restore_remark": "before\u0000after",
            "error_code": "\u0000"}]})");
    REQUIRE(page.ok());
    REQUIRE(page.value().records.size() == 1);
    CHECK(page.value().records[0].restore_remark ==
          "before\xEF\xBF\xBD"
          "after");
    CHECK(page.value().records[0].error_code == "\xEF\xBF\xBD");
    CHECK(std::strlen(page.value().records[0].restore_remark.c_str()) ==
          page.value().records[0].restore_remark.size());
}

TEST_CASE("parse_restore_id and parse_backup_id") {
    const auto restore =
        parse_restore_id(R"({ "restore_id" : "a6155972-800c-4170-a479-3231e907d2f6" })");
    REQUIRE(restore.ok());
    CHECK(restore.value() == "a6155972-800c-4170-a479-3231e907d2f6");

    const auto backup = parse_backup_id(R"({"backup_id": "4631832a", "extra": [1]})");
    REQUIRE(backup.ok());
    CHECK(backup.value() == "4631832a");

    const auto numeric = parse_restore_id(R"({"restore_id": 77})");
    REQUIRE(numeric.ok());
    CHECK(numeric.value() == "77");

    for (const char* body : {"{}", R"({"restore_id": ""})", R"({"restore_id": null})",
                             R"({"restore_id": {}})", R"({"backup_id": "b"})", ""}) {
        CAPTURE(body);
        const auto missing = parse_restore_id(body);
        REQUIRE_FALSE(missing.ok());
        check_bad_response(missing.error());
    }
    // An id that could not be sent back is a bad response, never a truncated string.
    for (const char* body : {R"({"restore_id": "abc\u0000def"})", R"({"restore_id": "abc\ndef"})",
                             R"({"restore_id": "../etc"})", R"({"restore_id": "a b"})",
                             R"({"restore_id": "caf\u00e9"})"}) {
        CAPTURE(body);
        const auto hostile = parse_restore_id(body);
        REQUIRE_FALSE(hostile.ok());
        check_bad_response(hostile.error());
        CHECK(hostile.error().message.find("not an id") != std::string::npos);
    }
    const std::string too_long = R"({"restore_id": ")" + std::string(65, 'a') + R"("})";
    CHECK_FALSE(parse_restore_id(too_long).ok());
    const auto no_backup = parse_backup_id(R"({"restore_id": "r"})");
    REQUIRE_FALSE(no_backup.ok());
    CHECK(no_backup.error().message == "response has no backup_id");
}

TEST_CASE("parse_instance reads the restore-relevant fields") {
    const auto info = parse_instance(R"({
        "instance_id": "a1b2c3d4-e5f6-4789-abcd-ef0123456789",
        "name": "dcs-demo",
        "status": "RUNNING",
        "sub_status": "normal",
        "engine": "Redis",
        "engine_version": "6.0",
        "cache_mode": "ha",
        "product_type": "generic",
        "launched_at": "2024-01-02T03:04:05.000Z",
        "capacity": 2,
        "instance_backup_policy": {"policy": {"backup_type": "auto", "save_days": 7}},
        "sharding_count": 3,
        "task": null
    })");
    REQUIRE(info.ok());
    const InstanceInfo& i = info.value();
    CHECK(i.instance_id == "a1b2c3d4-e5f6-4789-abcd-ef0123456789");
    CHECK(i.name == "dcs-demo");
    CHECK(i.status == "RUNNING");
    CHECK(i.sub_status == "normal");
    CHECK(i.engine == "Redis");
    CHECK(i.engine_version == "6.0");
    CHECK(i.cache_mode == "ha");
    CHECK(i.product_type == "generic");
    CHECK(i.launched_at == "2024-01-02T03:04:05.000Z");
    CHECK(i.capacity == 2);

    const auto sparse = parse_instance(R"({"status": "RESTORING", "capacity": "4", "name": {}})");
    REQUIRE(sparse.ok());
    CHECK(sparse.value().status == "RESTORING");
    CHECK(sparse.value().capacity == 4);
    CHECK(sparse.value().name == "");
    CHECK(sparse.value().instance_id == "");

    const auto no_capacity = parse_instance(R"({"capacity": "0.125"})");
    REQUIRE(no_capacity.ok());
    CHECK(no_capacity.value().capacity == -1);
}

TEST_CASE("parse_service_error understands the v2 shape") {
    const auto e = parse_service_error(
        R"({"error_code": "DCS.4097", "error_msg": "the instance is restoring.", "error_ext_msg": null})");
    REQUIRE(e.has_value());
    CHECK(e->code == "DCS.4097");
    CHECK(e->message == "the instance is restoring.");
    CHECK(e->ext_message == "");

    const auto ext = parse_service_error(
        R"({"error_msg": "m", "error_code": 111400097, "error_ext_msg": "more"})");
    REQUIRE(ext.has_value());
    CHECK(ext->code == "111400097");
    CHECK(ext->ext_message == "more");
}

TEST_CASE("parse_service_error understands the nested v1.0 shape") {
    const auto e = parse_service_error(
        R"({"error":{"code":"111400075","message":"check backup policy param backup_at error","ext_message":null}})");
    REQUIRE(e.has_value());
    CHECK(e->code == "111400075");
    CHECK(e->message == "check backup policy param backup_at error");
    CHECK(e->ext_message == "");

    const auto with_ext =
        parse_service_error(R"({"error":{"code":"1","message":"m","ext_message":"x"}})");
    REQUIRE(with_ext.has_value());
    CHECK(with_ext->ext_message == "x");
}

TEST_CASE("parse_service_error understands top-level code/message and errorCode/errorMsg") {
    const auto plain = parse_service_error(
        R"({"code": "APIGW.0301", "message": "Incorrect IAM authentication information"})");
    REQUIRE(plain.has_value());
    CHECK(plain->code == "APIGW.0301");
    CHECK(plain->message == "Incorrect IAM authentication information");

    const auto camel = parse_service_error(R"({"errorCode": "E1", "errorMsg": "camel"})");
    REQUIRE(camel.has_value());
    CHECK(camel->code == "E1");
    CHECK(camel->message == "camel");
}

TEST_CASE("parse_service_error follows the SDKs' precedence") {
    const auto both = parse_service_error(
        R"({"code": "C", "message": "from code", "error_msg": "from error_msg", "error_code": "EC",
            "error": {"code": "N", "message": "nested"}})");
    REQUIRE(both.has_value());
    CHECK(both->code == "EC");
    CHECK(both->message == "from error_msg");

    const auto top_before_nested = parse_service_error(
        R"({"error": {"code": "N", "message": "nested"}, "code": "T", "message": "top"})");
    REQUIRE(top_before_nested.has_value());
    CHECK(top_before_nested->code == "T");

    // A shape needs both of its keys: error_code alone does not match, so the nested one does.
    const auto half =
        parse_service_error(R"({"error_code": "X", "detail": {"code": "N", "message": "nested"}})");
    REQUIRE(half.has_value());
    CHECK(half->code == "N");
}

TEST_CASE("parse_service_error gives nullopt for bodies that are not error JSON") {
    for (const auto& body :
         {std::string(), std::string("<html><head><title>502 Bad Gateway</title></head></html>"),
          std::string("Service Unavailable"), std::string("{"), std::string("[]"),
          std::string(R"(["error_code", "error_msg"])"), std::string(R"({"foo": 1})"),
          std::string(R"({"error_code": "X"})"), std::string(R"({"error": "text only"})")}) {
        CAPTURE(body);
        CHECK_FALSE(parse_service_error(body).has_value());
    }
}

TEST_CASE("parse_progress_percent") {
    CHECK(parse_progress_percent("42.50") == doctest::Approx(42.5));
    CHECK(parse_progress_percent("100.00") == doctest::Approx(100.0));
    CHECK(parse_progress_percent("0") == 0.0);
    CHECK(parse_progress_percent("7") == doctest::Approx(7.0));
    CHECK(parse_progress_percent(" 42.5 ") == doctest::Approx(42.5));
    CHECK(parse_progress_percent("100.01") == -1);
    CHECK(parse_progress_percent("150") == -1);
    for (const char* junk : {"", " ", "abc", "42.5%", "-1", "-0.5", "nan", "inf", "1e2", "4 2",
                             "42,50", "+5", "0x10"}) {
        CAPTURE(junk);
        CHECK(parse_progress_percent(junk) == -1);
    }
}

TEST_CASE("parse_timestamp_ms") {
    CHECK(parse_timestamp_ms("2017-07-18T21:41:35.182Z") == 1500414095182);
    CHECK(parse_timestamp_ms("2017-07-18T21:41:35Z") == 1500414095000);
    CHECK(parse_timestamp_ms("2017-07-18T21:41:35.1Z") == 1500414095100);
    CHECK(parse_timestamp_ms("2017-07-18T21:41:35.182999Z") == 1500414095182);
    CHECK(parse_timestamp_ms("2017-07-18T21:41:35.182+08:00") == 1500385295182);
    CHECK(parse_timestamp_ms("2017-07-18T21:41:35-05:30") == 1500433895000);
    CHECK(parse_timestamp_ms("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_timestamp_ms("2024-02-29T23:59:59.999Z") == 1709251199999);
    CHECK(parse_timestamp_ms("9999-12-31T23:59:59Z") == 253402300799000);
    for (const char* bad : {"",
                            "2017-07-18",
                            "2017-07-18T21:41:35",
                            "2017-07-18 21:41:35Z",
                            "2017-07-18T21:41:35.Z",
                            "2017-07-18T21:41:35.182",
                            "2017-7-18T21:41:35Z",
                            "2017-07-18T24:00:00Z",
                            "2017-07-18T21:60:00Z",
                            "2017-07-18T21:41:60Z",
                            "2017-13-01T00:00:00Z",
                            "2017-00-01T00:00:00Z",
                            "2023-02-29T00:00:00Z",
                            "2017-04-31T00:00:00Z",
                            "2017-07-18T21:41:35Zjunk",
                            "2017-07-18T21:41:35+0800",
                            "2017-07-18T21:41:35+08",
                            "1969-12-31T23:59:59Z",
                            "abcd-ef-ghTij:kl:mnZ",
                            "{}"}) {
        CAPTURE(bad);
        CHECK(parse_timestamp_ms(bad) == -1);
    }
}

TEST_CASE("encode grows past its first estimate when every byte needs an escape") {
    const std::string controls(1000, '\x01');
    const std::string body = encode_restore_body("b", controls);
    std::string want = R"({"backup_id":"b","remark":")";
    for (size_t i = 0; i < controls.size(); ++i) want += "\\u0001";
    want += "\"}";
    CHECK(body == want);
    CHECK(remark_after_round_trip(body) == controls);
}

TEST_CASE("a page larger than the decoder's in-object buffers decodes every record") {
    std::string body = R"({"total_num": 500, "restore_record_response": [)";
    for (int i = 0; i < 500; ++i) {
        if (i > 0) body += ",";
        body += R"({"restore_id": "r-)" + std::to_string(i) + R"(", "status": "succeed"})";
    }
    body += "]}";
    const auto page = parse_restore_page(body);
    REQUIRE(page.ok());
    REQUIRE(page.value().records.size() == 500);
    CHECK(page.value().total_num == 500);
    CHECK(page.value().records[0].restore_id == "r-0");
    CHECK(page.value().records[499].restore_id == "r-499");
    CHECK(page.value().records[499].status == "succeed");
}
