data "dcs_backups" "good" {
  instance_id = var.instance_id
  restorable  = true
}

resource "dcs_instance_restore" "rollback" {
  instance_id               = var.instance_id
  backup_id                 = data.dcs_backups.good.latest_restorable_id
  remark                    = "rollback after bad deploy"
  wait_for_instance_running = true

  timeouts {
    create = "45m"
  }
}
