-- wrk script: the same restore POST the clients send (no signature: nginx checks none).
wrk.method = "POST"
wrk.path = "/v2/0123456789abcdef0123456789abcdef/instances/6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/restores"
wrk.body = '{"backup_id":"9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"}'
wrk.headers["Content-Type"] = "application/json"
