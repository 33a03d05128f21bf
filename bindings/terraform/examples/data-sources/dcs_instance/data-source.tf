data "dcs_instance" "cache" {
  instance_id = var.instance_id
}

output "cache_status" {
  value = "${data.dcs_instance.cache.name}: ${data.dcs_instance.cache.status} (${data.dcs_instance.cache.cache_mode})"
}
