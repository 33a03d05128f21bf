data "dcs_backups" "good" {
  instance_id = var.instance_id
  restorable  = true
}

output "latest_good_backup" {
  value = data.dcs_backups.good.latest_restorable_id
}
