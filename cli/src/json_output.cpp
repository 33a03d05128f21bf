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

// An object whose opening brace is already in place at `depth` levels of indentation.
void write_object(std::string& out, const Fields& fields, int depth) {
    if (fields.empty()) {
        out += "{}";
        return;
    }
    out += '{';
    for (size_t i = 0; i < fields.size(); ++i) {
        const Field& field = fields[i];
        out += i == 0 ? "\n" : ",\n";
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
    out += '\n';
    write_indent(out, depth);
    out += '}';
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
    if (records.empty()) {
        text = "[]";
    } else {
        text += '[';
        for (size_t i = 0; i < records.size(); ++i) {
            text += i == 0 ? "\n" : ",\n";
            write_indent(text, 1);
            write_object(text, records[i], 1);
        }
        text += "\n]";
    }
    emit(out, std::move(text));
}

}  // namespace dcsctl
