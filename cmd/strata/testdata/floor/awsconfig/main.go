// Command awsconfig is a start-up yardstick for BenchmarkStartupVersion: it links only the AWS
// SDK's configuration package, which every Bedrock client needs for credentials (its default
// chain brings the STS, SSO and sign-in clients), and does nothing else.
package main

import (
	"fmt"

	_ "github.com/aws/aws-sdk-go-v2/config"
)

func main() { fmt.Println("hello") }
