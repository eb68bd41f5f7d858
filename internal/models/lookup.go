package models

import "strings"

// IsGeo reports whether s is an inference-profile prefix (without the dot) that Bedrock uses
// for Claude: global, us, eu, apac, jp, au or us-gov (notes §1).
func IsGeo(s string) bool {
	switch s {
	case "global", "us", "eu", "apac", "jp", "au", "us-gov":
		return true
	}
	return false
}

// ARN kinds strata meets in model IDs.
const (
	KindInferenceProfile            = "inference-profile"
	KindApplicationInferenceProfile = "application-inference-profile"
	KindFoundationModel             = "foundation-model"
)

// ARN is a Bedrock ARN such as
// arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc.
type ARN struct {
	Partition string // aws, aws-us-gov, aws-cn, …
	Region    string
	Account   string // empty for foundation-model ARNs
	Kind      string // one of the Kind constants, or another Bedrock resource type
	Resource  string // what follows "<kind>/": a profile ID, a base ID or an opaque name
}

// String formats a back into ARN form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":bedrock:" + a.Region + ":" + a.Account + ":" + a.Kind + "/" + a.Resource
}

// ParseARN splits a Bedrock ARN. It reports false for anything that is not
// arn:<partition>:bedrock:<region>:<account>:<kind>/<resource> with a non-empty partition,
// region, kind and resource.
func ParseARN(id string) (ARN, bool) {
	rest, ok := strings.CutPrefix(id, "arn:")
	if !ok {
		return ARN{}, false
	}
	parts := strings.SplitN(rest, ":", 5)
	if len(parts) != 5 || parts[1] != "bedrock" {
		return ARN{}, false
	}
	kind, resource, ok := strings.Cut(parts[4], "/")
	a := ARN{Partition: parts[0], Region: parts[2], Account: parts[3], Kind: kind, Resource: resource}
	if !ok || a.Partition == "" || a.Region == "" || a.Kind == "" || a.Resource == "" {
		return ARN{}, false
	}
	return a, true
}

// suffix1M is how the reference CLI marks "use the 1M-context beta" on a model ID.
const suffix1M = "[1m]"

// Strip1M removes a trailing `[1m]` (any case) from id and reports whether it was there.
func Strip1M(id string) (string, bool) {
	n := len(id) - len(suffix1M)
	if n >= 0 && strings.EqualFold(id[n:], suffix1M) {
		return id[:n], true
	}
	return id, false
}

// SplitID resolves the forms a model ID takes to a geo prefix and a base ID: a base ID gives
// ("", base); a profile ID "us.anthropic…" gives ("us", base); a system inference-profile ARN
// or a foundation-model ARN gives what its resource names. A `[1m]` suffix is ignored. It
// reports false for application-inference-profile ARNs (their model is not in the name) and
// for anything else it cannot read. The base ID is not checked against the catalog.
func SplitID(id string) (geo, base string, ok bool) {
	id, _ = Strip1M(strings.TrimSpace(id))
	if a, isARN := ParseARN(id); isARN {
		switch a.Kind {
		case KindInferenceProfile, KindFoundationModel:
			id = a.Resource
		default:
			return "", "", false
		}
	} else if strings.HasPrefix(id, "arn:") {
		return "", "", false
	}
	if prefix, rest, found := strings.Cut(id, "."); found && IsGeo(prefix) {
		return prefix, rest, rest != ""
	}
	return "", id, id != ""
}

// Lookup finds the catalog entry behind a base ID, a profile ID with any geo prefix, a system
// inference-profile ARN or a foundation-model ARN, with or without a `[1m]` suffix.
// Application-inference-profile ARNs and unknown IDs give false.
func Lookup(id string) (Model, bool) {
	_, base, ok := SplitID(id)
	if !ok {
		return Model{}, false
	}
	for i := range table {
		if table[i].BaseID == base {
			return table[i].own(), true
		}
	}
	return Model{}, false
}

// All returns the whole catalog (a copy).
func All() []Model { return catalog() }

// GeoPrefix maps an AWS region to the inference-profile prefix strata derives for it, the same
// map as the reference CLI: us-gov-* → us-gov, us-* → us, eu-* → eu, ap-* → apac, anything
// else → global.
func GeoPrefix(region string) string {
	region = strings.ToLower(strings.TrimSpace(region))
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "us-gov"
	case strings.HasPrefix(region, "us-"):
		return "us"
	case strings.HasPrefix(region, "eu-"):
		return "eu"
	case strings.HasPrefix(region, "ap-"):
		return "apac"
	}
	return "global"
}
