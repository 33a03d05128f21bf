#include "table.hpp"

#include <algorithm>

namespace dcsctl {
namespace {

// Service text may hold anything; a control character would wreck the layout or the
// terminal, so each becomes '?'. Empty cells show as '-' to keep columns readable.
std::string cell(const std::string& value) {
    if (value.empty()) {
        return "-";
    }
    std::string out = value;
    for (char& c : out) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            c = '?';
        }
    }
    return out;
}

// Display width, counting each UTF-8 character once.
size_t width(const std::string& s) {
    return static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void print_padded(std::FILE* out, const std::string& text, size_t to_width, bool last) {
    std::fputs(text.c_str(), out);
    if (!last) {
        for (size_t n = width(text); n < to_width + 2; ++n) {
            std::fputc(' ', out);
        }
    }
}

}  // namespace

void print_table(std::FILE* out, const std::vector<std::string>& columns,
                 const std::vector<Fields>& rows) {
    std::vector<std::vector<std::string>> cells;
    cells.reserve(rows.size());
    std::vector<size_t> widths;
    widths.reserve(columns.size());
    for (const auto& column : columns) {
        widths.push_back(width(column));
    }
    for (const auto& row : rows) {
        std::vector<std::string> line;
        line.reserve(columns.size());
        for (size_t i = 0; i < columns.size(); ++i) {
            line.push_back(cell(field_value(row, columns[i])));
            widths[i] = std::max(widths[i], width(line.back()));
        }
        cells.push_back(std::move(line));
    }
    for (size_t i = 0; i < columns.size(); ++i) {
        print_padded(out, columns[i], widths[i], i + 1 == columns.size());
    }
    std::fputc('\n', out);
    for (const auto& line : cells) {
        for (size_t i = 0; i < line.size(); ++i) {
            print_padded(out, line[i], widths[i], i + 1 == line.size());
        }
        std::fputc('\n', out);
    }
}

void print_record(std::FILE* out, const Fields& fields) {
    size_t name_width = 0;
    for (const auto& field : fields) {
        name_width = std::max(name_width, width(field.name));
    }
    for (const auto& field : fields) {
        print_padded(out, field.name, name_width, false);
        std::fprintf(out, "%s\n", cell(field.value).c_str());
    }
}

}  // namespace dcsctl
