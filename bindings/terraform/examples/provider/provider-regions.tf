provider "dcs" {
  region = "cn-north-4"
  # Keys from HUAWEICLOUD_SDK_AK/_SK or HW_ACCESS_KEY/HW_SECRET_KEY; project from
  # HUAWEICLOUD_SDK_PROJECT_ID or HW_PROJECT_ID.

  # A project belongs to one region: name the project of every other region used.
  regions = {
    "cn-south-1" = { project_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" }
  }
}

resource "dcs_instance_restore" "south" {
  region      = "cn-south-1"
  instance_id = var.south_instance_id
  backup_id   = var.south_backup_id
}
