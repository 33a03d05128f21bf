# No keys in the block or the environment: the [ci] section of a profile file gives them
# (and the project, when it has project_id).
provider "dcs" {
  region             = "cn-north-4"
  shared_config_file = "/etc/dcs/credentials" # default: HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials
  profile            = "ci"                   # default: basic
}

# On an ECS whose agency grants DCS access: temporary credentials from the metadata
# service, refreshed before they expire.
provider "dcs" {
  alias            = "ecs"
  region           = "cn-north-4"
  project_id       = "0123456789abcdef0123456789abcdef"
  use_ecs_metadata = true
}
