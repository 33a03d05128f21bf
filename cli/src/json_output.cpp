#include "json_output.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <string>

namespace dcsctl {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_object(Writer& writer, const Fields& fields) {
    writer.StartObject();
    for (const auto& field : fields) {
        writer.Key(field.name);
        if (field.boolean) {
            writer.Bool(field.value == "true");
        } else if (!field.integer) {
            writer.String(field.value.c_str(),
                          static_cast<rapidjson::SizeType>(field.value.size()));
        } else if (field.value.empty()) {
            writer.Null();
        } else {
            writer.Int64(std::stoll(field.value));
        }
    }
    writer.EndObject();
}

void emit(std::FILE* out, const rapidjson::StringBuffer& buffer) {
    std::fwrite(buffer.GetString(), 1, buffer.GetSize(), out);
    std::fputc('\n', out);
}

}  // namespace

void print_json_record(std::FILE* out, const Fields& fields) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.SetIndent(' ', 2);
    write_object(writer, fields);
    emit(out, buffer);
}

void print_json_records(std::FILE* out, const std::vector<Fields>& records) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.SetIndent(' ', 2);
    writer.StartArray();
    for (const auto& record : records) {
        write_object(writer, record);
    }
    writer.EndArray();
    emit(out, buffer);
}

}  // namespace dcsctl
