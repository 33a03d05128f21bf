// Owners of libdcs's C handles: each handle type is a unique_ptr whose deleter is the handle's
// *_free function, so every object the library hands out is freed exactly once, on every path.
#pragma once

#include <dcs/dcs.h>

#include <memory>

namespace dcsctl {

// Calls `Free` (a dcs_*_free function, NULL-safe like all of them) on the pointer.
template <auto Free>
struct Freer {
    template <class T>
    void operator()(T* handle) const noexcept {
        Free(handle);
    }
};

template <class T, auto Free>
using Owned = std::unique_ptr<T, Freer<Free>>;

using ErrorPtr = Owned<dcs_error, dcs_error_free>;
using CancelTokenPtr = Owned<dcs_cancel_token, dcs_cancel_token_free>;
using ClientOptionsPtr = Owned<dcs_client_options, dcs_client_options_free>;
using ClientPtr = Owned<dcs_client, dcs_client_free>;
using CallOptionsPtr = Owned<dcs_call_options, dcs_call_options_free>;
using ListOptionsPtr = Owned<dcs_list_options, dcs_list_options_free>;
using WaitOptionsPtr = Owned<dcs_wait_options, dcs_wait_options_free>;
using RestoreOutcomePtr = Owned<dcs_restore_outcome, dcs_restore_outcome_free>;
using RestoreRecordPtr = Owned<dcs_restore_record, dcs_restore_record_free>;
using RestoreListPtr = Owned<dcs_restore_list, dcs_restore_list_free>;
using BackupListPtr = Owned<dcs_backup_list, dcs_backup_list_free>;
using InstancePtr = Owned<dcs_instance, dcs_instance_free>;
using BackupRecordPtr = Owned<dcs_backup_record, dcs_backup_record_free>;
using BackupSelectorPtr = Owned<dcs_backup_selector, dcs_backup_selector_free>;
using RestorePlanPtr = Owned<dcs_restore_plan, dcs_restore_plan_free>;
using StringPtr = Owned<char, dcs_string_free>;

}  // namespace dcsctl
