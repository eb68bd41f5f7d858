package models

import (
	"math"
	"strings"
	"testing"
	"time"
)

// today is the date the catalog was compiled against (notes, 2026-11).
var today = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)

const (
	sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	haiku45  = "anthropic.claude-haiku-4-5-20251001-v1:0"
	sonnet37 = "anthropic.claude-3-7-sonnet-20250219-v1:0"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		id   string
		want string // base ID, "" for not found
	}{
		{sonnet45, sonnet45},
		{"us." + sonnet45, sonnet45},
		{"global." + sonnet45, sonnet45},
		{"us-gov." + sonnet45, sonnet45},
		{"apac." + sonnet45, sonnet45}, // a prefix the model lacks still names the model
		{"jp.anthropic.claude-opus-4-7", "anthropic.claude-opus-4-7"},
		{"au.anthropic.claude-opus-4-6-v1", "anthropic.claude-opus-4-6-v1"},
		{"us.anthropic.claude-sonnet-4-20250514-v1:0[1m]", "anthropic.claude-sonnet-4-20250514-v1:0"},
		{"anthropic.claude-sonnet-4-6[1M]", "anthropic.claude-sonnet-4-6"},
		{"  eu.anthropic.claude-haiku-5-5 ", "anthropic.claude-haiku-5-5"},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us." + sonnet45, sonnet45},
		{"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov." + sonnet45, sonnet45},
		{"arn:aws:bedrock:us-east-1::foundation-model/" + haiku45, haiku45},
		{"arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc", ""},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-nope", ""},
		{"arn:aws:s3:::bucket/" + sonnet45, ""},
		{"anthropic.claude-opus-4-6-v1:0", ""}, // invalid on Bedrock [I-forge2644]
		{"us.anthropic.claude-opus-4-7-v1", ""},
		{"xx." + sonnet45, ""},
		{"us.", ""},
		{"", ""},
		{"claude-sonnet-4-5", ""},
	}
	for _, tt := range tests {
		m, ok := Lookup(tt.id)
		if got := map[bool]string{true: m.BaseID, false: ""}[ok]; got != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.id, m.BaseID, ok, tt.want)
		}
	}
}

func TestParseARN(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc",
			ARN{"aws", "us-east-2", "123456789012", KindApplicationInferenceProfile, "abc"}, true},
		{"arn:aws:bedrock:eu-west-1:1:inference-profile/eu.anthropic.claude-sonnet-4-6",
			ARN{"aws", "eu-west-1", "1", KindInferenceProfile, "eu.anthropic.claude-sonnet-4-6"}, true},
		{"arn:aws:bedrock:us-east-1::foundation-model/" + sonnet45,
			ARN{"aws", "us-east-1", "", KindFoundationModel, sonnet45}, true},
		{"arn:aws:bedrock:us-east-1:1:inference-profile/", ARN{}, false},
		{"arn:aws:bedrock:us-east-1:1:inference-profile", ARN{}, false},
		{"arn:aws:bedrock::1:inference-profile/x", ARN{}, false},
		{"arn:aws:sagemaker:us-east-1:1:endpoint/x", ARN{}, false},
		{"us." + sonnet45, ARN{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseARN(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseARN(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.String() != tt.in {
			t.Errorf("ParseARN(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestGeoPrefix(t *testing.T) {
	tests := map[string]string{
		"us-east-1": "us", "us-west-2": "us", "US-EAST-2": "us",
		"us-gov-west-1": "us-gov", "us-gov-east-1": "us-gov",
		"eu-central-1": "eu", "eu-west-3": "eu",
		"ap-northeast-1": "apac", "ap-southeast-2": "apac", "ap-south-1": "apac",
		"ca-central-1": "global", "sa-east-1": "global", "me-central-1": "global", "": "global",
	}
	for region, want := range tests {
		if got := GeoPrefix(region); got != want {
			t.Errorf("GeoPrefix(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestDefault(t *testing.T) {
	tests := []struct {
		role   Role
		region string
		now    time.Time
		want   string
	}{
		{RoleMain, "us-east-1", today, "us." + sonnet45},
		{RoleSmallFast, "us-east-1", today, "us." + haiku45},
		{RoleMain, "eu-west-1", today, "eu." + sonnet45},
		{RoleSmallFast, "eu-central-1", today, "eu." + haiku45},
		{RoleMain, "ap-southeast-1", today, "global." + sonnet45}, // no apac profile
		{RoleSmallFast, "ap-northeast-1", today, "global." + haiku45},
		{RoleMain, "ca-central-1", today, "global." + sonnet45},
		{RoleMain, "us-gov-west-1", today, "us-gov." + sonnet45},
		// GovCloud has no Haiku profile in the catalog and global does not route there: the
		// main model's us-gov. profile, which answers, rather than a base ID that cannot.
		{RoleSmallFast, "us-gov-west-1", today, "us-gov." + sonnet45},
		{RoleMain, "ap-southeast-2", today, "au." + sonnet45},
		{RoleMain, "ap-northeast-1", today, "jp." + sonnet45},
		{RoleSmallFast, "ap-southeast-2", today, "au." + haiku45},
	}
	for _, tt := range tests {
		if got := Default(tt.role, tt.region, tt.now); got != tt.want {
			t.Errorf("Default(%v, %q) = %q, want %q", tt.role, tt.region, got, tt.want)
		}
	}
}

func TestFallbacks(t *testing.T) {
	got := Fallbacks(RoleMain, "us-east-1", today)
	want := []string{
		"us." + sonnet45,
		"us.anthropic.claude-sonnet-5-5",
		"us.anthropic.claude-sonnet-5",
		"us.anthropic.claude-sonnet-4-6",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Fallbacks(main, us-east-1, today) = %q, want %q", got, want)
	}
	// Before Sonnet 4's retirement it is a fallback too; 3.7 Sonnet is not (already retired).
	before := Fallbacks(RoleMain, "us-east-1", time.Date(2026, 10, 13, 0, 0, 0, 0, time.UTC))
	if n := len(before); n != 5 || before[4] != "us.anthropic.claude-sonnet-4-20250514-v1:0" {
		t.Errorf("Fallbacks before 2026-10-14 = %q", before)
	}
	small := Fallbacks(RoleSmallFast, "eu-west-1", today)
	if len(small) != 2 || small[0] != "eu."+haiku45 || small[1] != "eu.anthropic.claude-haiku-5-5" {
		t.Errorf("Fallbacks(small, eu-west-1) = %q", small)
	}
}

// The seed's default (3.7 Sonnet) was the main default until its retirement; the family must
// still give a model afterwards, and the default must be active on every date.
func TestDefaultsNeverRetired(t *testing.T) {
	if _, ok := Lookup(sonnet37); !ok {
		t.Fatal("3.7 Sonnet missing from the catalog")
	}
	m37, _ := Lookup(sonnet37)
	if !m37.IsRetired(today) || m37.IsRetired(m37.Retired.Add(-time.Second)) {
		t.Fatalf("3.7 Sonnet retirement boundary wrong: %v", m37.Retired)
	}
	for d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2029; d = d.AddDate(0, 0, 7) {
		for _, role := range []Role{RoleMain, RoleSmallFast} {
			for _, region := range []string{"us-east-1", "eu-west-1", "ap-south-1", "us-gov-west-1", "sa-east-1"} {
				id := Default(role, region, d)
				m, ok := Lookup(id)
				family := roleFamily(role)
				if region == "us-gov-west-1" {
					family = m.Family // small/fast borrows the main model there (Fallbacks)
				}
				if !ok || m.IsRetired(d) || m.Family != family {
					t.Fatalf("Default(%v, %s, %s) = %q: not an active %s model", role, region, d.Format(time.DateOnly), id, roleFamily(role))
				}
			}
		}
	}
	after := m37.Retired.AddDate(0, 0, 1)
	if got := Default(RoleMain, "us-east-1", after); got != "us."+sonnet45 {
		t.Errorf("main default after 3.7 Sonnet's retirement = %q", got)
	}
}

func TestResolveAlias(t *testing.T) {
	tests := []struct {
		name, region string
		now          time.Time
		want         string
		ok           bool
	}{
		{"sonnet", "us-east-1", today, "us." + sonnet45, true},
		{" Opus ", "us-west-2", today, "us.anthropic.claude-opus-4-6-v1", true},
		{"HAIKU", "us-east-1", today, "us." + haiku45, true},
		{"fable", "us-east-1", today, "us.anthropic.claude-fable-5", true},
		{"opusplan", "eu-west-1", today, "eu." + sonnet45, true},
		{"best", "us-east-1", today, "us.anthropic.claude-opus-4-6-v1", true},
		{"sonnet[1m]", "us-east-1", today, "us." + sonnet45 + "[1m]", true},
		{"opus[1M]", "ap-northeast-1", today, "jp.anthropic.claude-opus-4-6-v1[1m]", true},
		{"haiku[1m]", "us-east-1", today, "us." + haiku45, true}, // no 1M window: suffix dropped
		{"opus", "ap-southeast-2", today, "au.anthropic.claude-opus-4-6-v1", true},
		{"fable", "ap-southeast-2", today, "global.anthropic.claude-fable-5", true},
		{"sonnet", "us-gov-west-1", today, "us-gov." + sonnet45, true},
		{"opus", "us-gov-west-1", today, "us-gov.anthropic.claude-opus-4-6-v1", true},
		{"sonnet-4-5", "us-east-1", today, "", false},
		{"", "us-east-1", today, "", false},
		{"us." + sonnet45, "us-east-1", today, "", false},
	}
	for _, tt := range tests {
		got, ok := ResolveAlias(tt.name, tt.region, tt.now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ResolveAlias(%q, %q) = %q, %v; want %q, %v", tt.name, tt.region, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSuccessor(t *testing.T) {
	tests := []struct {
		id   string
		want string
	}{
		{sonnet37, "anthropic.claude-sonnet-5-5"},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic.claude-haiku-5-5"},
		{"anthropic.claude-opus-4-20250514-v1:0", "anthropic.claude-opus-5-5"},
		{"anthropic.claude-fable-5", "anthropic.claude-fable-5-1"},
		{"anthropic.claude-sonnet-5-5", ""}, // the newest has no successor
		{"anthropic.claude-fable-5-1", ""},
	}
	for _, tt := range tests {
		m, ok := Lookup(tt.id)
		if !ok {
			t.Fatalf("Lookup(%q) failed", tt.id)
		}
		s, ok := Successor(m, today)
		if got := map[bool]string{true: s.BaseID, false: ""}[ok]; got != tt.want {
			t.Errorf("Successor(%s) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestPriceFor(t *testing.T) {
	tests := []struct {
		id    string
		input float64 // 0 = unknown
		read  float64
	}{
		{"global." + sonnet45, 3, 0.30},
		{"us." + sonnet45, 3.30, 0.33},
		{"eu." + sonnet45 + "[1m]", 3.30, 0.33},
		{"us-gov." + sonnet45, 3.60, 0.36},
		{sonnet45, 3, 0.30},
		{"arn:aws:bedrock:us-east-1:1:inference-profile/us." + sonnet45, 3.30, 0.33},
		{"arn:aws:bedrock:us-east-1::foundation-model/" + sonnet45, 3, 0.30},
		{"us-gov.anthropic.claude-opus-4-6-v1", 5.50, 0.55}, // no GovCloud price: regional
		{"us.anthropic.claude-sonnet-4-20250514-v1:0", 3, 0.30},
		{"global.anthropic.claude-opus-5-5", 4, 0.20},
		{"jp.anthropic.claude-opus-5-5", 4.40, 0.22},
		{"us.anthropic.claude-3-haiku-20240307-v1:0", 0.25, 0},
		{"arn:aws:bedrock:us-east-2:1:application-inference-profile/abc", 0, 0},
		{"us.anthropic.claude-unknown", 0, 0},
	}
	for _, tt := range tests {
		p, ok := PriceFor(tt.id)
		if ok != (tt.input != 0) || p.Input != tt.input || p.CacheRead != tt.read {
			t.Errorf("PriceFor(%q) = %+v, %v; want input %v, read %v", tt.id, p, ok, tt.input, tt.read)
		}
	}
}

func TestCost(t *testing.T) {
	u := Usage{InputTokens: 1_000_000, OutputTokens: 100_000, CacheCreationInputTokens: 200_000, CacheReadInputTokens: 2_000_000}
	tests := []struct {
		id    string
		usd   float64
		known bool
	}{
		// 3.30 + 0.1×16.50 + 0.2×4.125 + 2×0.33
		{"us." + sonnet45, 3.30 + 1.65 + 0.825 + 0.66, true},
		// 3 + 1.5 + 0.75 + 0.6
		{"global." + sonnet45, 5.85, true},
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", 0.80 + 0.40 + 0.20 + 0.16, true},
		{"arn:aws:bedrock:us-east-2:1:application-inference-profile/abc", 0, false},
		{"nope", 0, false},
	}
	for _, tt := range tests {
		usd, known := Cost(tt.id, u)
		if known != tt.known || math.Abs(usd-tt.usd) > 1e-9 {
			t.Errorf("Cost(%q) = %v, %v; want %v, %v", tt.id, usd, known, tt.usd, tt.known)
		}
	}
	if usd, _ := Cost("us."+sonnet45, Usage{}); usd != 0 {
		t.Errorf("zero usage costs %v", usd)
	}
}

func TestWindow(t *testing.T) {
	s4, _ := Lookup("anthropic.claude-sonnet-4-20250514-v1:0")
	o45, _ := Lookup("anthropic.claude-opus-4-5-20251101-v1:0")
	if s4.Window(false) != 200_000 || s4.Window(true) != 1_000_000 {
		t.Errorf("Sonnet 4 windows: %d, %d", s4.Window(false), s4.Window(true))
	}
	if o45.Window(true) != 200_000 {
		t.Errorf("Opus 4.5 has no 1M beta but Window(true) = %d", o45.Window(true))
	}
}

func TestAllIsACopy(t *testing.T) {
	a := All()
	a[0].BaseID = "changed"
	a[0].Geos[0] = "changed"
	b := All()
	if b[0].BaseID == "changed" || b[0].Geos[0] == "changed" {
		t.Error("All returned the catalog itself, not a copy")
	}
}

func TestCost1hPricesWritesAtTheHourRate(t *testing.T) {
	p := Price{Input: 3, Output: 15, CacheWrite5m: 3.75, CacheWrite1h: 6, CacheRead: 0.3}
	u := Usage{CacheCreationInputTokens: 1_000_000}
	if got5, got1 := p.Cost(u), p.Cost1h(u); got5 != 3.75 || got1 != 6 {
		t.Errorf("Cost %v, Cost1h %v; want 3.75 and 6", got5, got1)
	}
	p.CacheWrite1h = 0
	if got := p.Cost1h(u); got != 3.75 {
		t.Errorf("without a 1h price Cost1h is %v, want the 5m rate", got)
	}
}
