// Package officialsdkgo drives the dcs-emulator with the official Huawei Cloud Go SDK
// (github.com/huaweicloud/huaweicloud-sdk-go-v3, services/dcs/v2): every operation libdcs
// offers, signed by the SDK's own signer and decoded by the SDK's own models.
//
// The tests start their own emulator from the binary named by DCS_EMULATOR:
//
//	cd emulator && go build -o ../build/dcs-emulator ./cmd/dcs-emulator
//	cd tests/official_sdk_go && DCS_EMULATOR=$PWD/../../build/dcs-emulator go test ./...
package officialsdkgo
