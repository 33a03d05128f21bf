#include "records.hpp"

namespace dcsctl {
namespace {

std::string integer_text(int64_t value) { return value < 0 ? "" : std::to_string(value); }

}  // namespace

Fields fields_of(const dcs::core::RestoreRecord& r) {
    return {
        {"restore_id", r.restore_id},
        {"backup_id", r.backup_id},
        {"status", r.status},
        {"progress", r.progress},
        {"error_code", r.error_code},
        {"restore_remark", r.restore_remark},
        {"restore_name", r.restore_name},
        {"backup_name", r.backup_name},
        {"backup_remark", r.backup_remark},
        {"created_at", r.created_at},
        {"updated_at", r.updated_at},
    };
}

Fields fields_of(const dcs::core::BackupRecord& b) {
    return {
        {"backup_id", b.backup_id},
        {"backup_name", b.backup_name},
        {"instance_id", b.instance_id},
        {"backup_type", b.backup_type},
        {"status", b.status},
        {"progress", b.progress},
        {"error_code", b.error_code},
        {"remark", b.remark},
        {"is_support_restore", b.is_support_restore},
        {"backup_format", b.backup_format},
        {"size", integer_text(b.size), true},
        {"period", b.period},
        {"created_at", b.created_at},
        {"updated_at", b.updated_at},
        {"execution_at", b.execution_at},
    };
}

Fields fields_of(const dcs::core::InstanceInfo& i) {
    return {
        {"instance_id", i.instance_id},
        {"name", i.name},
        {"status", i.status},
        {"sub_status", i.sub_status},
        {"engine", i.engine},
        {"engine_version", i.engine_version},
        {"cache_mode", i.cache_mode},
        {"product_type", i.product_type},
        {"capacity", integer_text(i.capacity), true},
        {"launched_at", i.launched_at},
    };
}

Field boolean_field(const char* name, bool value) {
    return {name, value ? "true" : "false", false, true};
}

const std::string& field_value(const Fields& fields, const std::string& name) {
    static const std::string kEmpty;
    for (const auto& field : fields) {
        if (name == field.name) {
            return field.value;
        }
    }
    return kEmpty;
}

}  // namespace dcsctl
