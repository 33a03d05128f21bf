#include "fault_table.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dcs::test {

namespace {

bool listed(const std::vector<std::string>& list, const std::string& item) {
    return list.empty() || std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> strings(const rapidjson::Value& object, const char* key) {
    std::vector<std::string> out;
    if (object.HasMember(key)) {
        for (const auto& v : object[key].GetArray()) {
            out.emplace_back(v.GetString());
        }
    }
    return out;
}

}  // namespace

bool MatrixFault::runs_in(const std::string& mode) const { return listed(modes, mode); }

bool MatrixFault::applies_to(const std::string& operation, const std::string& mode) const {
    return listed(only, operation) && listed(modes, mode);
}

FaultMatrix load_fault_matrix() {
    const std::string path = std::string(DCS_RELIABILITY_DIR) + "/fault_matrix.json";
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(buffer.str().c_str());
    if (!in || doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("cannot read " + path);
    }
    FaultMatrix m;
    m.call_timeout_ms = doc["call_timeout_ms"].GetInt64();
    m.deadline_slack_ms = doc["deadline_slack_ms"].GetInt64();
    for (const auto& mode : doc["modes"].GetObject()) {
        m.modes.emplace_back(mode.name.GetString(), mode.value.GetInt());
    }
    for (const auto& f : doc["faults"].GetArray()) {
        MatrixFault fault;
        fault.name = f["name"].GetString();
        fault.spec.kind = f["kind"].GetString();
        if (f.HasMember("status")) {
            fault.spec.status = f["status"].GetInt();
        }
        if (f.HasMember("body")) {
            fault.spec.body = f["body"].GetString();
        }
        if (f.HasMember("delay_ms")) {
            fault.spec.delay_ms = f["delay_ms"].GetInt64();
        }
        if (f.HasMember("retry_after")) {
            fault.spec.retry_after = f["retry_after"].GetInt();
        }
        fault.only = strings(f, "only");
        fault.modes = strings(f, "modes");
        if (f.HasMember("call_timeout_ms")) {
            fault.call_timeout_ms = f["call_timeout_ms"].GetInt64();
        }
        if (f.HasMember("timings") && f["timings"].HasMember("restore_listing_delay_ms")) {
            fault.restore_listing_delay_ms = f["timings"]["restore_listing_delay_ms"].GetInt64();
        }
        const auto& expect = doc["restore_expect"];
        if (!expect.HasMember(fault.name.c_str())) {
            throw std::runtime_error("fault_matrix.json: no restore_expect for " + fault.name);
        }
        for (const auto& mode : expect[fault.name.c_str()].GetObject()) {
            RestoreExpectation e;
            e.outcome = mode.value["outcome"].GetString();
            e.restores = mode.value["restores"].GetInt64();
            if (mode.value.HasMember("posts")) {
                e.posts_min = e.posts_max = mode.value["posts"].GetInt64();
            } else {
                e.posts_min = mode.value["posts_min"].GetInt64();
                e.posts_max = mode.value["posts_max"].GetInt64();
            }
            fault.restore_expect[mode.name.GetString()] = e;
        }
        m.faults.push_back(std::move(fault));
    }
    for (const auto& op : doc["operations"].GetObject()) {
        std::vector<std::string> calls;
        for (const auto& call : op.value.GetArray()) {
            calls.emplace_back(call.GetString());
        }
        m.operations.emplace_back(op.name.GetString(), std::move(calls));
    }
    return m;
}

}  // namespace dcs::test
