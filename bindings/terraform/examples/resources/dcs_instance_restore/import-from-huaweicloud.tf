# Takes over a restore that huaweicloud_dcs_instance_restore made (see
# docs/MIGRATING-FROM-HUAWEICLOUD.md): its instance_id and its id (the restore id) from
# `terraform state show`, joined by "/". `terraform plan` must report
# "1 to import, 0 to add": an add would be a second restore.
import {
  to = dcs_instance_restore.rollback
  id = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/0d6d9c1e-4f57-4e0c-a7a1-0b5f8e7e1c33"
}

resource "dcs_instance_restore" "rollback" {
  instance_id = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
  backup_id   = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
  remark      = "rollback after bad deploy" # huaweicloud: description
}
