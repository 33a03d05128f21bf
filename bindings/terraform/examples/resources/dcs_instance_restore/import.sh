terraform import dcs_instance_restore.rollback 6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/0d6d9c1e-4f57-4e0c-a7a1-0b5f8e7e1c33
