data "dcs_backups" "good" {
  instance_id = var.instance_id
  restorable  = true
}

output "latest_good_backup" {
  value = data.dcs_backups.good.latest_restorable_id
}

# After an incident: the newest restorable manual backup taken before it started.
data "dcs_backups" "before_incident" {
  instance_id       = var.instance_id
  type              = "manual"
  restorable_before = "2026-11-27T10:00:00Z"
}

resource "dcs_instance_restore" "rollback" {
  instance_id = var.instance_id
  backup_id   = data.dcs_backups.before_incident.latest_restorable_before_id
}
