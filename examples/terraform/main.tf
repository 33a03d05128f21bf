# Restores an instance from its latest good backup. See README.md for running it against
# dcs-emulator; against Huawei Cloud, set region (or DCS_REGION) and real credentials.

terraform {
  required_providers {
    dcs = {
      source = "libdcs/dcs"
    }
  }
}

variable "instance_id" {
  description = "The DCS instance to restore."
  type        = string
  default     = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b" # the emulator's demo instance
}

# Credentials, project and endpoint come from the environment:
# HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID, DCS_ENDPOINT or DCS_REGION.
provider "dcs" {}

data "dcs_instance" "cache" {
  instance_id = var.instance_id
}

data "dcs_backups" "good" {
  instance_id = var.instance_id
  restorable  = true
}

resource "dcs_instance_restore" "latest" {
  instance_id               = data.dcs_instance.cache.instance_id
  backup_id                 = data.dcs_backups.good.latest_restorable_id
  remark                    = "restored by terraform"
  wait_for_instance_running = true

  timeouts {
    create = "30m"
  }

  lifecycle {
    precondition {
      condition     = data.dcs_instance.cache.status == "RUNNING" && data.dcs_instance.cache.cache_mode != "single"
      error_message = "DCS restores only RUNNING master/standby or cluster instances."
    }
    precondition {
      condition     = data.dcs_backups.good.latest_restorable_id != null
      error_message = "The instance has no backup that can be restored."
    }
  }
}

output "restore_id" {
  value = dcs_instance_restore.latest.id
}

output "restore_status" {
  value = dcs_instance_restore.latest.status
}

output "restored_backup" {
  value = dcs_instance_restore.latest.backup_id
}
