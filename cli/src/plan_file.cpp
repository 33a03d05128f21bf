// Reading and checking a restore plan (plan_file.hpp). RapidJSON, which libdcs's core already
// builds with, parses the text; every rule on ids, remarks and backup filters is libdcs's own
// (dcs_validate_id, dcs_validate_remark, the selector's setters), asked here so that a plan
// the library would refuse halfway is refused before the first request instead.
#include "plan_file.hpp"

#include <dcs/dcs.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "args.hpp"
#include "duration.hpp"
#include "failure.hpp"

namespace dcsctl {
namespace {

constexpr const char* kLatest = "latest";

// The keys an entry may have; anything else is a typo that must not be ignored (a
// misspelt "before" would otherwise restore the newest backup instead of an older one).
const char* const kEntryKeys[] = {"instance_id", "backup",      "before",
                                  "backup_type", "backup_name", "remark"};

class PlanChecker {
   public:
    PlanChecker(std::string_view text, std::string source, int64_t now_ms)
        : text_(text), source_(std::move(source)), now_ms_(now_ms) {}

    std::vector<PlanEntry> run() {
        rapidjson::Document document;
        // The text is not NUL-terminated: parse exactly its bytes, and insist on UTF-8.
        document.Parse<rapidjson::kParseValidateEncodingFlag>(text_.data(), text_.size());
        if (document.HasParseError()) {
            fail(position_of(document.GetErrorOffset()) + ": " +
                 rapidjson::GetParseError_En(document.GetParseError()));
        }
        if (!document.IsObject()) {
            fail("the plan must be a JSON object: {\"restores\": [...]}");
        }
        check_keys(document, {"restores"}, "the plan");
        auto restores = document.FindMember("restores");
        if (restores == document.MemberEnd() || !restores->value.IsArray()) {
            fail("the plan needs \"restores\": an array of entries");
        }
        const auto& list = restores->value.GetArray();
        if (list.Empty()) {
            fail("\"restores\" is empty: nothing to restore");
        }
        if (list.Size() > kMaxPlanEntries) {
            fail("\"restores\" has " + std::to_string(list.Size()) + " entries; at most " +
                 std::to_string(kMaxPlanEntries) + " are allowed");
        }
        std::vector<PlanEntry> entries;
        std::map<std::string, size_t> seen;  // instance id -> first entry
        for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
            PlanEntry entry = check_entry(list[i], i);
            auto [first, inserted] = seen.emplace(entry.instance_id, entry.index);
            if (!inserted) {
                // Two restores of one instance in one plan: at best one undoes the other.
                fail(entry.label() + ": the instance is already in restores[" +
                     std::to_string(first->second) + "]; list each instance once");
            }
            entries.push_back(std::move(entry));
        }
        return entries;
    }

   private:
    [[noreturn]] void fail(const std::string& what) const {
        throw UsageError("plan " + source_ + ": " + what);
    }

    // "line 3, column 7" of a byte offset (columns count bytes, from 1).
    std::string position_of(size_t offset) const {
        offset = std::min(offset, text_.size());
        size_t line = 1;
        size_t line_start = 0;
        for (size_t i = 0; i < offset; ++i) {
            if (text_[i] == '\n') {
                ++line;
                line_start = i + 1;
            }
        }
        return "line " + std::to_string(line) + ", column " +
               std::to_string(offset - line_start + 1);
    }

    // Unknown keys and keys given twice (which RapidJSON keeps both of) are refused.
    void check_keys(const rapidjson::Value& object, const std::vector<std::string>& allowed,
                    const std::string& where) const {
        std::vector<std::string> names;
        for (const auto& member : object.GetObject()) {
            std::string name(member.name.GetString(), member.name.GetStringLength());
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                std::string expected;
                for (const auto& key : allowed) {
                    expected += (expected.empty() ? "" : ", ") + key;
                }
                fail(where + ": unknown key \"" + name + "\" (expected: " + expected + ")");
            }
            if (std::find(names.begin(), names.end(), name) != names.end()) {
                fail(where + ": \"" + name + "\" is given twice");
            }
            names.push_back(std::move(name));
        }
    }

    // The string value of `key`, or nullopt when absent. A string holding a NUL byte is
    // refused: libdcs would see only what precedes it.
    std::optional<std::string> string_of(const rapidjson::Value& object, const char* key,
                                         const std::string& where) const {
        auto member = object.FindMember(key);
        if (member == object.MemberEnd()) {
            return std::nullopt;
        }
        if (!member->value.IsString()) {
            fail(where + ": \"" + key + "\" must be a string");
        }
        std::string value(member->value.GetString(), member->value.GetStringLength());
        if (value.find('\0') != std::string::npos) {
            fail(where + ": \"" + key + "\" contains a NUL character");
        }
        return value;
    }

    // Runs a libdcs check; its refusal becomes this entry's usage error.
    template <class Fn, class... Args>
    void library_check(const std::string& where, Fn fn, Args... args) const {
        if (auto error = attempt(fn, args...)) {
            fail(where + ": " + error->message);
        }
    }

    PlanEntry check_entry(const rapidjson::Value& value, size_t index) const {
        PlanEntry entry;
        entry.index = index;
        std::string where = "restores[" + std::to_string(index) + "]";
        if (!value.IsObject()) {
            fail(where + ": an entry must be an object");
        }
        check_keys(value, {std::begin(kEntryKeys), std::end(kEntryKeys)}, where);
        auto instance_id = string_of(value, "instance_id", where);
        if (!instance_id) {
            fail(where + ": \"instance_id\" is required");
        }
        library_check(where, dcs_validate_id, "instance_id", instance_id->c_str());
        entry.instance_id = *instance_id;
        where = entry.label();

        // The same rules as the flags of a single restore (restore_choice.cpp).
        auto backup = string_of(value, "backup", where);
        auto before = string_of(value, "before", where);
        entry.backup_type = string_of(value, "backup_type", where);
        entry.backup_name = string_of(value, "backup_name", where);
        const bool filtered = before || entry.backup_type || entry.backup_name;
        if (!backup && !filtered) {
            fail(where +
                 ": \"backup\" is required (a backup id, or \"latest\"), unless \"before\", "
                 "\"backup_type\" or \"backup_name\" choose one");
        }
        if (backup && *backup != kLatest) {
            if (filtered) {
                fail(where +
                     ": \"before\", \"backup_type\" and \"backup_name\" choose a backup: give "
                     "them with \"backup\": \"latest\" (or without \"backup\"), not with a "
                     "backup id");
            }
            library_check(where, dcs_validate_id, "backup", backup->c_str());
            entry.backup_id = *backup;
        }
        if (before) {
            try {
                entry.before_ms = parse_time_ms("before", *before, now_ms_);
            } catch (const UsageError& e) {
                fail(where + ": " + e.what());
            }
        }
        check_filters(entry, where);
        entry.remark = string_of(value, "remark", where);
        if (entry.remark) {
            library_check(where, dcs_validate_remark, entry.remark->c_str());
        }
        return entry;
    }

    // The filters go through a scratch selector: what it refuses, the restore would too.
    void check_filters(const PlanEntry& entry, const std::string& where) const {
        dcs_backup_selector* raw = nullptr;
        library_check(where, dcs_backup_selector_new, &raw);
        BackupSelectorPtr selector(raw);
        if (entry.before_ms) {
            library_check(where, dcs_backup_selector_set_before_ms, selector.get(),
                          *entry.before_ms);
        }
        if (entry.backup_type) {
            library_check(where, dcs_backup_selector_set_backup_type, selector.get(),
                          entry.backup_type->c_str());
        }
        if (entry.backup_name) {
            library_check(where, dcs_backup_selector_set_backup_name, selector.get(),
                          entry.backup_name->c_str());
        }
    }

    std::string_view text_;
    std::string source_;
    int64_t now_ms_;
};

}  // namespace

std::string PlanEntry::label() const {
    return "restores[" + std::to_string(index) + "] (instance " + instance_id + ")";
}

std::vector<PlanEntry> parse_plan(std::string_view text, const std::string& source,
                                  int64_t now_ms) {
    return PlanChecker(text, source, now_ms).run();
}

std::vector<PlanEntry> read_plan_file(const std::string& path, int64_t now_ms) {
    std::ostringstream content;
    if (path == "-") {
        content << std::cin.rdbuf();
    } else {
        std::ifstream file(path, std::ios::binary);
        if (!file) {
            throw UsageError("cannot read the plan " + path + ": " + std::strerror(errno));
        }
        content << file.rdbuf();
        if (file.bad()) {
            throw UsageError("cannot read the plan " + path);
        }
    }
    return parse_plan(content.str(), path, now_ms);
}

}  // namespace dcsctl
