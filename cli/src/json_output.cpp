#include "json_output.hpp"

#include <string>
#include <utility>

namespace dcsctl {
namespace {

constexpr const char* kIndent = "  ";

// A JSON string: '"' and '\' escaped, control characters as \b \t \n \f \r or \u00XX, every
// other byte (UTF-8 included) as it is.
void write_string(std::string& out, const std::string& text) {
    static const char kHex[] = "0123456789ABCDEF";
    out += '"';
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void write_indent(std::string& out, int depth) {
    for (int i = 0; i < depth; ++i) {
        out += kIndent;
    }
}

// The fields of an object, each on its own line at `depth` + 1 levels; `first` says whether
// none has been written yet (and is cleared by the first).
void write_fields(std::string& out, const Fields& fields, int depth, bool& first) {
    for (const Field& field : fields) {
        out += first ? "\n" : ",\n";
        first = false;
        write_indent(out, depth + 1);
        write_string(out, field.name);
        out += ": ";
        if (field.boolean) {
            out += field.value == "true" ? "true" : "false";
        } else if (!field.integer) {
            write_string(out, field.value);
        } else if (field.value.empty()) {
            out += "null";
        } else {
            out += std::to_string(std::stoll(field.value));
        }
    }
}

// An object whose opening brace is already in place at `depth` levels of indentation.
void write_object(std::string& out, const Fields& fields, int depth) {
    if (fields.empty()) {
        out += "{}";
        return;
    }
    out += '{';
    bool first = true;
    write_fields(out, fields, depth, first);
    out += '\n';
    write_indent(out, depth);
    out += '}';
}

// An array of records whose opening bracket goes where the text ends, at `depth` levels.
void write_array(std::string& out, const std::vector<Fields>& records, int depth) {
    if (records.empty()) {
        out += "[]";
        return;
    }
    out += '[';
    for (size_t i = 0; i < records.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        write_indent(out, depth + 1);
        write_object(out, records[i], depth + 1);
    }
    out += '\n';
    write_indent(out, depth);
    out += ']';
}

void emit(std::FILE* out, std::string text) {
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace

void print_json_record(std::FILE* out, const Fields& fields) {
    std::string text;
    write_object(text, fields, 0);
    emit(out, std::move(text));
}

void print_json_records(std::FILE* out, const std::vector<Fields>& records) {
    std::string text;
    write_array(text, records, 0);
    emit(out, std::move(text));
}

void print_json_summary(std::FILE* out, const Fields& head, const std::vector<JsonStrings>& lists,
                        const char* records_name, const std::vector<Fields>& records) {
    std::string text = "{";
    bool first = true;
    write_fields(text, head, 0, first);
    for (const JsonStrings& list : lists) {
        text += first ? "\n" : ",\n";
        first = false;
        write_indent(text, 1);
        write_string(text, list.name);
        text += ": [";
        for (size_t i = 0; i < list.values.size(); ++i) {
            text += i == 0 ? "" : ", ";
            write_string(text, list.values[i]);
        }
        text += ']';
    }
    text += first ? "\n" : ",\n";
    write_indent(text, 1);
    write_string(text, records_name);
    text += ": ";
    write_array(text, records, 1);
    text += "\n}";
    emit(out, std::move(text));
}

}  // namespace dcsctl
