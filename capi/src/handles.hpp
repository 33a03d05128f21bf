// The C ABI's opaque types: each wraps the core object it stands for.
#pragma once

#include <dcs/dcs.h>

#include <memory>
#include <optional>
#include <vector>

#include "client.hpp"
#include "config.hpp"
#include "error.hpp"
#include "json_codec.hpp"

struct dcs_error {
    dcs::core::Error error;
};

struct dcs_cancel_token {
    // Shared with every call options object that holds the token, so freeing the token
    // while a call runs leaves the call's flag alive.
    dcs::core::CancelPtr state = std::make_shared<dcs::core::CancelState>();
};

struct dcs_client_options {
    dcs::core::ClientConfig config;
};

struct dcs_client {
    std::unique_ptr<dcs::core::Client> client;
};

struct dcs_call_options {
    dcs::core::CallOptions options;
};

struct dcs_list_options {
    dcs::core::ListFilter filter;
};

struct dcs_wait_options {
    dcs::core::WaitOptions options;
    dcs_restore_progress_fn progress = nullptr;
    void* progress_user_data = nullptr;
};

struct dcs_restore_record {
    dcs::core::RestoreRecord record;
};

struct dcs_restore_outcome {
    dcs::core::RestoreStarted started;
};

struct dcs_restore_list {
    std::vector<dcs_restore_record> records;
};

struct dcs_backup_record {
    dcs::core::BackupRecord record;
};

struct dcs_backup_list {
    std::vector<dcs_backup_record> records;
};

struct dcs_instance {
    dcs::core::InstanceInfo info;
};

struct dcs_backup_selector {
    dcs::core::BackupSelector selector;
};

// The core's RestorePlan, held as the handles its getters lend out.
struct dcs_restore_plan {
    dcs_instance instance;
    std::optional<dcs_backup_record> backup;
    int64_t backup_age_ms = -1;
    std::vector<dcs::core::RestoreCheck> checks;
    bool would_start = false;
};
