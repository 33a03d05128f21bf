#include "json_codec.hpp"

#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstddef>

#include "validate.hpp"

namespace dcs::core {
namespace {

using rapidjson::Value;

// ---- Encoding -------------------------------------------------------------------------------

// RapidJSON's output stream over a std::string: the body is written where it is returned,
// with no StringBuffer to copy it out of. The string is sized ahead and trimmed at the end,
// so that each character costs a store, as in a StringBuffer.
class StringOutput {
   public:
    using Ch = char;
    explicit StringOutput(std::string& out) : out_(out) {}
    void Put(char c) {
        reserve(1);
        put_unsafe(c);
    }
    void Flush() {}
    void reserve(size_t count) {
        if (out_.size() - length_ < count) out_.resize(std::max(2 * out_.size(), length_ + count));
    }
    void put_unsafe(char c) { out_[length_++] = c; }
    // Drops the room reserved and not used.
    void finish() { out_.resize(length_); }

   private:
    std::string& out_;
    size_t length_ = 0;
};

// RapidJSON's writer reserves room before a run of unchecked puts; found by argument-
// dependent lookup in place of its generic versions, which would go through Put().
void PutReserve(StringOutput& out, size_t count) { out.reserve(count); }
void PutUnsafe(StringOutput& out, char c) { out.put_unsafe(c); }

// Writes UTF-8 bytes through unchanged (the validators have already checked them) and escapes
// '"', '\\' and control characters. The writer's nesting stack lives in the object: a body is
// one flat object.
class BodyWriter {
   public:
    explicit BodyWriter(size_t expected_size) {
        body_.resize(expected_size);
        writer_.StartObject();
    }
    BodyWriter(const BodyWriter&) = delete;
    BodyWriter& operator=(const BodyWriter&) = delete;

    void field(const char* name, std::string_view value) {
        writer_.Key(name);
        writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }

    void optional_field(const char* name, const std::optional<std::string>& value) {
        if (value) field(name, *value);
    }

    std::string finish() {
        writer_.EndObject();
        output_.finish();
        return std::move(body_);
    }

   private:
    static constexpr size_t kLevels = 4;
    std::string body_;
    StringOutput output_{body_};
    alignas(std::max_align_t) char stack_[256];
    rapidjson::MemoryPoolAllocator<> stack_allocator_{stack_, sizeof stack_};
    rapidjson::Writer<StringOutput, rapidjson::UTF8<>, rapidjson::UTF8<>,
                      rapidjson::MemoryPoolAllocator<>>
        writer_{output_, &stack_allocator_, kLevels};
};

size_t size_of(const std::optional<std::string>& value) { return value ? value->size() : 0; }

// Room for the worst case RapidJSON's writer reserves before each string (every byte escaped
// as \u00XX, six bytes) for the values and the names, so that the body is allocated once.
size_t expected_body_size(size_t value_bytes) {
    constexpr size_t kEscapedByte = 6;
    constexpr size_t kNamesAndPunctuation = 48;
    return kEscapedByte * (value_bytes + kNamesAndPunctuation);
}

// ---- Decoding -------------------------------------------------------------------------------

// Numbers are kept as their source text, so "progress": 100.00 reads as "100.00" and a number
// where a string is declared needs no formatting. Iterative parsing keeps a hostile, deeply
// nested body from exhausting the stack.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;

// A document whose first kilobytes (values and parse stacks) live in the object itself, so
// that decoding a small answer, such as a restore id or an error, allocates nothing; a larger
// body continues on the heap. (RapidJSON's own Document takes 64 KiB from the heap first.)
using JsonDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                                rapidjson::MemoryPoolAllocator<>>;

class LocalDocument {
   public:
    LocalDocument() = default;
    LocalDocument(const LocalDocument&) = delete;
    LocalDocument& operator=(const LocalDocument&) = delete;
    JsonDocument& get() { return doc_; }

   private:
    static constexpr size_t kStackCapacity = 256;
    alignas(std::max_align_t) char values_[2048];
    alignas(std::max_align_t) char stacks_[1024];
    rapidjson::MemoryPoolAllocator<> value_allocator_{values_, sizeof values_};
    rapidjson::MemoryPoolAllocator<> stack_allocator_{stacks_, sizeof stacks_};
    JsonDocument doc_{&value_allocator_, kStackCapacity, &stack_allocator_};
};

Error bad_response(std::string message) {
    return make_error(Status::BadResponse, std::move(message), Sent::Yes);
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Parses `body` into `doc`; false when it is not a single well-formed JSON value.
bool parse_json(std::string_view body, JsonDocument& doc) {
    // The parser treats NUL as the end of input, which would silently accept "{}\0junk".
    if (body.find('\0') != std::string_view::npos) return false;
    doc.Parse<kParseFlags>(body.data(), body.size());
    return !doc.HasParseError();
}

Result<const Value*> parse_object(std::string_view body, JsonDocument& doc) {
    if (!parse_json(body, doc)) return bad_response("response is not valid JSON");
    if (!doc.IsObject()) return bad_response("response is not a JSON object");
    return static_cast<const Value*>(&doc);
}

const Value* member(const Value& object, const char* name) {
    const auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

// A string field, degraded to "" when it is absent, null, an object or an array. Numbers arrive
// as strings (kParseNumbersAsStringsFlag); booleans become "true" / "false".
std::string text(const Value& object, const char* name) {
    const Value* v = member(object, name);
    if (v == nullptr) return std::string();
    if (v->IsString()) {
        // A "\u0000" in a text field would cut it short at the C ABI's getters and in every
        // binding above them; U+FFFD keeps the whole text and shows where the NUL was.
        std::string_view raw(v->GetString(), v->GetStringLength());
        if (raw.find('\0') == std::string_view::npos) return std::string(raw);
        std::string out;
        out.reserve(raw.size() + 8);
        for (char c : raw) {
            if (c == '\0') {
                out += "\xEF\xBF\xBD";
            } else {
                out += c;
            }
        }
        return out;
    }
    if (v->IsBool()) return v->GetBool() ? "true" : "false";
    return std::string();
}

// A non-negative integer field given as a number or a numeric string; -1 otherwise.
int64_t integer(const Value& object, const char* name) {
    const Value* v = member(object, name);
    if (v == nullptr || !v->IsString()) return -1;
    const char* first = v->GetString();
    const char* last = first + v->GetStringLength();
    int64_t n = -1;
    const auto [end, ec] = std::from_chars(first, last, n);
    if (ec != std::errc() || end != last || n < 0) return -1;
    return n;
}

RestoreRecord restore_record(const Value& o) {
    RestoreRecord r;
    r.restore_id = text(o, "restore_id");
    r.backup_id = text(o, "backup_id");
    r.status = text(o, "status");
    r.progress = text(o, "progress");
    r.error_code = text(o, "error_code");
    r.restore_remark = text(o, "restore_remark");
    r.restore_name = text(o, "restore_name");
    r.backup_name = text(o, "backup_name");
    r.backup_remark = text(o, "backup_remark");
    r.created_at = text(o, "created_at");
    r.updated_at = text(o, "updated_at");
    r.progress_percent = parse_progress_percent(r.progress);
    r.created_at_ms = parse_timestamp_ms(r.created_at);
    r.updated_at_ms = parse_timestamp_ms(r.updated_at);
    return r;
}

bool says_true(std::string_view text) {
    return text.size() == 4 && std::equal(text.begin(), text.end(), "true", [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

BackupRecord backup_record(const Value& o) {
    BackupRecord r;
    r.backup_id = text(o, "backup_id");
    r.backup_name = text(o, "backup_name");
    r.instance_id = text(o, "instance_id");
    r.backup_type = text(o, "backup_type");
    r.status = text(o, "status");
    r.progress = text(o, "progress");
    r.error_code = text(o, "error_code");
    r.remark = text(o, "remark");
    r.is_support_restore = text(o, "is_support_restore");
    r.backup_format = text(o, "backup_format");
    r.period = text(o, "period");
    r.created_at = text(o, "created_at");
    r.updated_at = text(o, "updated_at");
    r.execution_at = text(o, "execution_at");
    r.size = integer(o, "size");
    r.restorable = says_true(r.is_support_restore);
    r.progress_percent = parse_progress_percent(r.progress);
    r.created_at_ms = parse_timestamp_ms(r.created_at);
    r.updated_at_ms = parse_timestamp_ms(r.updated_at);
    r.execution_at_ms = parse_timestamp_ms(r.execution_at);
    return r;
}

// `id` names the record's own id: a listed record whose id could not be sent back (a get,
// a wait) makes the page a bad response, as parse_id does for a single id; a record
// without one is kept (the caller cannot confuse it with another).
template <class T, class Decode>
Result<Page<T>> parse_page(std::string_view body, const char* list_name, Decode decode,
                           std::string T::*id, const char* id_name) {
    if (is_blank(body)) {
        Page<T> empty;
        empty.total_num = 0;  // HTTP 204: the service found no records
        return empty;
    }
    LocalDocument doc;
    auto root = parse_object(body, doc.get());
    if (!root) return std::move(root).error();
    const Value& object = *root.value();

    Page<T> page;
    page.total_num = integer(object, "total_num");
    const Value* list = member(object, list_name);
    if (list == nullptr || list->IsNull()) return page;
    // A list that is something else would hide records from a poller; refuse it instead.
    if (!list->IsArray()) return bad_response(std::string(list_name) + " is not an array");
    for (const Value& entry : list->GetArray()) {
        if (!entry.IsObject()) continue;
        T record = decode(entry);
        if (!(record.*id).empty() && validate_id(id_name, record.*id)) {
            return bad_response(std::string("a listed record's ") + id_name +
                                " is not an id ([A-Za-z0-9_-]{1,64})");
        }
        page.records.push_back(std::move(record));
    }
    return page;
}

Result<std::string> parse_id(std::string_view body, const char* name) {
    LocalDocument doc;
    auto root = parse_object(body, doc.get());
    if (!root) return std::move(root).error();
    std::string id = text(*root.value(), name);
    if (id.empty()) return bad_response(std::string("response has no ") + name);
    // An id is only useful if it can be sent back (get, wait, delete): it must pass the rule
    // every caller-supplied id passes. A NUL or control character would otherwise truncate
    // or corrupt it on its way through C strings and logs.
    if (validate_id(name, id)) {
        return bad_response("response's " + std::string(name) +
                            " is not an id ([A-Za-z0-9_-]{1,64})");
    }
    return id;
}

// Mirrors the SDKs: a shape matches when both of its keys are present.
std::optional<ServiceError> service_error_in(const Value& object, int depth) {
    struct Shape {
        const char* code;
        const char* message;
        const char* ext_message;
    };
    static constexpr Shape kShapes[] = {
        {"error_code", "error_msg", "error_ext_msg"},
        {"errorCode", "errorMsg", nullptr},
        {"code", "message", "ext_message"},
    };
    for (const Shape& shape : kShapes) {
        if (member(object, shape.code) && member(object, shape.message)) {
            ServiceError e;
            e.code = text(object, shape.code);
            e.message = text(object, shape.message);
            if (shape.ext_message) e.ext_message = text(object, shape.ext_message);
            return e;
        }
    }
    // Real bodies nest one level ({"error":{...}}); a small bound keeps the walk cheap.
    constexpr int kMaxDepth = 4;
    if (depth >= kMaxDepth) return std::nullopt;
    for (const auto& m : object.GetObject()) {
        if (!m.value.IsObject()) continue;
        if (auto nested = service_error_in(m.value, depth + 1)) return nested;
    }
    return std::nullopt;
}

// ---- Timestamps -----------------------------------------------------------------------------

// Reads exactly `count` decimal digits at `pos`; -1 if any is missing or not a digit.
int digits_at(std::string_view s, size_t pos, size_t count) {
    if (pos + count > s.size()) return -1;
    int n = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given proleptic Gregorian date (year >= 1).
int64_t days_since_epoch(int year, int month, int day) {
    int64_t days = 0;
    // Whole years before `year`, counted from year 1 with the Gregorian leap rule.
    const int64_t y = year - 1;
    days += y * 365 + y / 4 - y / 100 + y / 400;
    for (int m = 1; m < month; ++m) days += days_in_month(year, m);
    days += day - 1;
    constexpr int64_t kDaysFromYear1To1970 = 719162;
    return days - kDaysFromYear1To1970;
}

}  // namespace

std::string encode_restore_body(std::string_view backup_id,
                                const std::optional<std::string>& remark) {
    BodyWriter w(expected_body_size(backup_id.size() + size_of(remark)));
    w.field("backup_id", backup_id);
    w.optional_field("remark", remark);
    return w.finish();
}

std::string encode_backup_body(const std::optional<std::string>& remark,
                               const std::optional<std::string>& backup_format) {
    BodyWriter w(expected_body_size(size_of(remark) + size_of(backup_format)));
    w.optional_field("remark", remark);
    w.optional_field("backup_format", backup_format);
    return w.finish();
}

Result<std::string> parse_restore_id(std::string_view body) { return parse_id(body, "restore_id"); }

Result<std::string> parse_backup_id(std::string_view body) { return parse_id(body, "backup_id"); }

Result<Page<RestoreRecord>> parse_restore_page(std::string_view body) {
    return parse_page<RestoreRecord>(body, "restore_record_response", restore_record,
                                     &RestoreRecord::restore_id, "restore_id");
}

Result<Page<BackupRecord>> parse_backup_page(std::string_view body) {
    return parse_page<BackupRecord>(body, "backup_record_response", backup_record,
                                    &BackupRecord::backup_id, "backup_id");
}

Result<InstanceInfo> parse_instance(std::string_view body) {
    LocalDocument doc;
    auto root = parse_object(body, doc.get());
    if (!root) return std::move(root).error();
    const Value& o = *root.value();
    InstanceInfo info;
    info.instance_id = text(o, "instance_id");
    info.name = text(o, "name");
    info.status = text(o, "status");
    info.sub_status = text(o, "sub_status");
    info.engine = text(o, "engine");
    info.engine_version = text(o, "engine_version");
    info.cache_mode = text(o, "cache_mode");
    info.product_type = text(o, "product_type");
    info.launched_at = text(o, "launched_at");
    info.launched_at_ms = parse_timestamp_ms(info.launched_at);
    info.capacity = integer(o, "capacity");
    return info;
}

std::optional<ServiceError> parse_service_error(std::string_view body) {
    LocalDocument local;
    JsonDocument& doc = local.get();
    if (!parse_json(body, doc) || !doc.IsObject()) return std::nullopt;
    return service_error_in(doc, 0);
}

double parse_progress_percent(std::string_view progress) {
    while (!progress.empty() && progress.front() == ' ') progress.remove_prefix(1);
    while (!progress.empty() && progress.back() == ' ') progress.remove_suffix(1);
    if (progress.empty()) return -1;
    // from_chars is locale-independent (strtod would read "42,50" in some locales).
    double value = -1;
    const char* last = progress.data() + progress.size();
    const auto [end, ec] = std::from_chars(progress.data(), last, value, std::chars_format::fixed);
    // Above 100 is not a percentage: the waiter must not predict from it, and callers were
    // promised 0-100. The service's text stays available in `progress`.
    if (ec != std::errc() || end != last || !std::isfinite(value) || value < 0 || value > 100) {
        return -1;
    }
    return value;
}

int64_t parse_timestamp_ms(std::string_view iso) {
    // yyyy-MM-ddTHH:mm:ss
    const int year = digits_at(iso, 0, 4);
    const int month = digits_at(iso, 5, 2);
    const int day = digits_at(iso, 8, 2);
    const int hour = digits_at(iso, 11, 2);
    const int minute = digits_at(iso, 14, 2);
    const int second = digits_at(iso, 17, 2);
    if (iso.size() < 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' ||
        iso[16] != ':') {
        return -1;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
        return -1;
    }

    // Optional fraction: any number of digits, of which milliseconds are kept.
    size_t pos = 19;
    int64_t millis = 0;
    if (iso[pos] == '.') {
        ++pos;
        const size_t start = pos;
        while (pos < iso.size() && iso[pos] >= '0' && iso[pos] <= '9') {
            if (pos - start < 3) millis = millis * 10 + (iso[pos] - '0');
            ++pos;
        }
        if (pos == start) return -1;
        for (size_t n = pos - start; n < 3; ++n) millis *= 10;
    }

    // Zone: 'Z' or +hh:mm / -hh:mm.
    int64_t offset_minutes = 0;
    if (pos < iso.size() && iso[pos] == 'Z') {
        ++pos;
    } else if (pos < iso.size() && (iso[pos] == '+' || iso[pos] == '-')) {
        const int sign = iso[pos] == '+' ? 1 : -1;
        const int off_hour = digits_at(iso, pos + 1, 2);
        const int off_minute = digits_at(iso, pos + 4, 2);
        if (pos + 3 >= iso.size() || iso[pos + 3] != ':' || off_hour < 0 || off_hour > 23 ||
            off_minute < 0 || off_minute > 59) {
            return -1;
        }
        offset_minutes = int64_t{sign} * (off_hour * 60 + off_minute);
        pos += 6;
    } else {
        return -1;  // a time without a zone is ambiguous
    }
    if (pos != iso.size()) return -1;

    const int64_t seconds = days_since_epoch(year, month, day) * 86400 + int64_t{hour} * 3600 +
                            int64_t{minute} * 60 + second - offset_minutes * 60;
    const int64_t ms = seconds * 1000 + millis;
    return ms < 0 ? -1 : ms;
}

}  // namespace dcs::core
