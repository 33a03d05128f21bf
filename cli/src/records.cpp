#include "records.hpp"

namespace dcsctl {
namespace {

// -1 is the getters' "absent": JSON null, an empty cell.
std::string integer_text(int64_t value) { return value < 0 ? "" : std::to_string(value); }

}  // namespace

Fields fields_of(const dcs_restore_record* r) {
    return {
        {"restore_id", dcs_restore_record_restore_id(r)},
        {"backup_id", dcs_restore_record_backup_id(r)},
        {"status", dcs_restore_record_status(r)},
        {"progress", dcs_restore_record_progress(r)},
        {"error_code", dcs_restore_record_error_code(r)},
        {"restore_remark", dcs_restore_record_restore_remark(r)},
        {"restore_name", dcs_restore_record_restore_name(r)},
        {"backup_name", dcs_restore_record_backup_name(r)},
        {"backup_remark", dcs_restore_record_backup_remark(r)},
        {"created_at", dcs_restore_record_created_at(r)},
        {"updated_at", dcs_restore_record_updated_at(r)},
    };
}

Fields fields_of(const dcs_backup_record* b) {
    return {
        {"backup_id", dcs_backup_record_backup_id(b)},
        {"backup_name", dcs_backup_record_backup_name(b)},
        {"instance_id", dcs_backup_record_instance_id(b)},
        {"backup_type", dcs_backup_record_backup_type(b)},
        {"status", dcs_backup_record_status(b)},
        {"progress", dcs_backup_record_progress(b)},
        {"error_code", dcs_backup_record_error_code(b)},
        {"remark", dcs_backup_record_remark(b)},
        {"is_support_restore", dcs_backup_record_is_support_restore(b)},
        {"backup_format", dcs_backup_record_backup_format(b)},
        {"size", integer_text(dcs_backup_record_size(b)), true},
        {"period", dcs_backup_record_period(b)},
        {"created_at", dcs_backup_record_created_at(b)},
        {"updated_at", dcs_backup_record_updated_at(b)},
        {"execution_at", dcs_backup_record_execution_at(b)},
    };
}

Fields fields_of(const dcs_instance* i) {
    return {
        {"instance_id", dcs_instance_instance_id(i)},
        {"name", dcs_instance_name(i)},
        {"status", dcs_instance_status(i)},
        {"sub_status", dcs_instance_sub_status(i)},
        {"engine", dcs_instance_engine(i)},
        {"engine_version", dcs_instance_engine_version(i)},
        {"cache_mode", dcs_instance_cache_mode(i)},
        {"product_type", dcs_instance_product_type(i)},
        {"capacity", integer_text(dcs_instance_capacity(i)), true},
        {"launched_at", dcs_instance_launched_at(i)},
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
