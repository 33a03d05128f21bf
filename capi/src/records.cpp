// Getters of records, lists and instances. Each getter is one line of the same shape, so
// a macro writes them: it keeps the NULL handling identical everywhere.
#include "guard.hpp"
#include "json_codec.hpp"

// NOLINTBEGIN(cppcoreguidelines-macro-usage)
// Many getters compile to identical code: GCC would fold them into one body with aliases,
// leaving the aliases without type information in the ABI baseline (abi/), so a changed
// getter signature could pass unseen. no_icf keeps each its own (clang does not fold).
#if defined(__GNUC__) && !defined(__clang__)
#define DCS_GETTER_API DCS_API __attribute__((no_icf))
#else
#define DCS_GETTER_API DCS_API
#endif

#define DCS_STRING_GETTER(type, holder, field)                        \
    DCS_GETTER_API const char* type##_##field(const type* object) {   \
        return object != nullptr ? object->holder.field.c_str() : ""; \
    }

#define DCS_VALUE_GETTER(type, holder, field, value_type, absent)   \
    DCS_GETTER_API value_type type##_##field(const type* object) {  \
        return object != nullptr ? object->holder.field : (absent); \
    }

#define DCS_LIST_FUNCTIONS(list, item)                                                          \
    DCS_API size_t list##_count(const list* l) { return l != nullptr ? l->records.size() : 0; } \
    DCS_API const item* list##_at(const list* l, size_t index) {                                \
        return l != nullptr && index < l->records.size() ? &l->records[index] : nullptr;        \
    }                                                                                           \
    DCS_API void list##_free(list* l) { delete l; }
// NOLINTEND(cppcoreguidelines-macro-usage)

extern "C" {

DCS_STRING_GETTER(dcs_restore_record, record, restore_id)
DCS_STRING_GETTER(dcs_restore_record, record, backup_id)
DCS_STRING_GETTER(dcs_restore_record, record, status)
DCS_STRING_GETTER(dcs_restore_record, record, progress)
DCS_STRING_GETTER(dcs_restore_record, record, error_code)
DCS_STRING_GETTER(dcs_restore_record, record, restore_remark)
DCS_STRING_GETTER(dcs_restore_record, record, restore_name)
DCS_STRING_GETTER(dcs_restore_record, record, backup_name)
DCS_STRING_GETTER(dcs_restore_record, record, backup_remark)
DCS_STRING_GETTER(dcs_restore_record, record, created_at)
DCS_STRING_GETTER(dcs_restore_record, record, updated_at)

DCS_VALUE_GETTER(dcs_restore_record, record, progress_percent, double, -1.0)
DCS_VALUE_GETTER(dcs_restore_record, record, created_at_ms, int64_t, -1)
DCS_VALUE_GETTER(dcs_restore_record, record, updated_at_ms, int64_t, -1)

DCS_API void dcs_restore_record_free(dcs_restore_record* r) { delete r; }

DCS_LIST_FUNCTIONS(dcs_restore_list, dcs_restore_record)

DCS_STRING_GETTER(dcs_backup_record, record, backup_id)
DCS_STRING_GETTER(dcs_backup_record, record, backup_name)
DCS_STRING_GETTER(dcs_backup_record, record, instance_id)
DCS_STRING_GETTER(dcs_backup_record, record, backup_type)
DCS_STRING_GETTER(dcs_backup_record, record, status)
DCS_STRING_GETTER(dcs_backup_record, record, progress)
DCS_STRING_GETTER(dcs_backup_record, record, error_code)
DCS_STRING_GETTER(dcs_backup_record, record, remark)
DCS_STRING_GETTER(dcs_backup_record, record, is_support_restore)
DCS_STRING_GETTER(dcs_backup_record, record, backup_format)
DCS_STRING_GETTER(dcs_backup_record, record, period)
DCS_STRING_GETTER(dcs_backup_record, record, created_at)
DCS_STRING_GETTER(dcs_backup_record, record, updated_at)
DCS_STRING_GETTER(dcs_backup_record, record, execution_at)

DCS_VALUE_GETTER(dcs_backup_record, record, size, int64_t, -1)
DCS_VALUE_GETTER(dcs_backup_record, record, progress_percent, double, -1.0)
DCS_VALUE_GETTER(dcs_backup_record, record, created_at_ms, int64_t, -1)
DCS_VALUE_GETTER(dcs_backup_record, record, updated_at_ms, int64_t, -1)
DCS_VALUE_GETTER(dcs_backup_record, record, execution_at_ms, int64_t, -1)

DCS_API int dcs_backup_record_restorable(const dcs_backup_record* b) {
    return b != nullptr && b->record.restorable ? 1 : 0;
}

DCS_API void dcs_backup_record_free(dcs_backup_record* b) { delete b; }

DCS_LIST_FUNCTIONS(dcs_backup_list, dcs_backup_record)

DCS_STRING_GETTER(dcs_instance, info, instance_id)
DCS_STRING_GETTER(dcs_instance, info, name)
DCS_STRING_GETTER(dcs_instance, info, status)
DCS_STRING_GETTER(dcs_instance, info, sub_status)
DCS_STRING_GETTER(dcs_instance, info, engine)
DCS_STRING_GETTER(dcs_instance, info, engine_version)
DCS_STRING_GETTER(dcs_instance, info, cache_mode)
DCS_STRING_GETTER(dcs_instance, info, product_type)
DCS_STRING_GETTER(dcs_instance, info, launched_at)

DCS_VALUE_GETTER(dcs_instance, info, capacity, int64_t, -1)
DCS_VALUE_GETTER(dcs_instance, info, launched_at_ms, int64_t, -1)

DCS_API void dcs_instance_free(dcs_instance* i) { delete i; }

DCS_STRING_GETTER(dcs_restore_outcome, started, restore_id)

DCS_API int dcs_restore_outcome_adopted(const dcs_restore_outcome* o) {
    return o != nullptr && o->started.adopted ? 1 : 0;
}

DCS_API void dcs_restore_outcome_free(dcs_restore_outcome* o) { delete o; }

}  // extern "C"
