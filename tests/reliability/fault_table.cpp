#include "fault_table.hpp"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dcs::test {

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
