terraform {
  required_providers {
    dcs = {
      source = "libdcs/dcs"
    }
  }
}

provider "dcs" {
  region = "cn-north-4"
  # access_key, secret_key and project_id from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK
  # and HUAWEICLOUD_SDK_PROJECT_ID, else from HW_ACCESS_KEY, HW_SECRET_KEY and HW_PROJECT_ID
}
