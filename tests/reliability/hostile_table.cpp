#include "hostile_table.hpp"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dcs::test {
namespace {

std::string from_hex(const std::string& hex) {
    if (hex.size() % 2 != 0) {
        throw std::runtime_error("hostile_inputs.json: odd hex length");
    }
    std::string bytes;
    for (size_t i = 0; i < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

std::string value_of(const rapidjson::Value& entry) {
    if (entry.HasMember("text")) {
        const auto& text = entry["text"];
        return std::string(text.GetString(), text.GetStringLength());
    }
    if (entry.HasMember("hex")) {
        return from_hex(entry["hex"].GetString());
    }
    if (entry.HasMember("repeat") && entry.HasMember("times")) {
        std::string unit = entry["repeat"].GetString();
        std::string out;
        for (int i = 0; i < entry["times"].GetInt(); ++i) {
            out += unit;
        }
        return out;
    }
    throw std::runtime_error("hostile_inputs.json: an entry without text, hex or repeat");
}

}  // namespace

std::vector<HostileInput> load_hostile_inputs() {
    const std::string path = std::string(DCS_RELIABILITY_DIR) + "/hostile_inputs.json";
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(buffer.str().c_str());
    if (!in || doc.HasParseError() || !doc.IsObject() || !doc.HasMember("inputs")) {
        throw std::runtime_error("cannot read " + path);
    }
    std::vector<HostileInput> inputs;
    for (const auto& entry : doc["inputs"].GetArray()) {
        HostileInput h;
        h.label = entry["label"].GetString();
        h.value = value_of(entry);
        for (const auto& where : entry["as"].GetArray()) {
            h.as_id |= std::string(where.GetString()) == "id";
            h.as_remark |= std::string(where.GetString()) == "remark";
        }
        if (entry.HasMember("c_note")) {
            h.c_note = entry["c_note"].GetString();
        }
        inputs.push_back(std::move(h));
    }
    return inputs;
}

}  // namespace dcs::test
