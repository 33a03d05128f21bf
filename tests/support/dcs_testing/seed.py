"""The emulator's demo seed (`--demo`, emulator/README.md): its credentials and records."""

DEMO_AK = "DEMOACCESSKEY0000001"
DEMO_SK = "demo-secret-key-0123456789abcdefghijklmnop"
DEMO_PROJECT = "0123456789abcdef0123456789abcdef"
DEMO_INSTANCE = "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
DEMO_BACKUP = "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"
