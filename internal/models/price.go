package models

// PriceFor is the Bedrock price of calls made with id: a `global.` profile costs the global
// price, a geographic profile (us., eu., …) the regional one, a base ID the global one (the
// base-ID rows equal global for 4.5 and later, and older models have a single price). ARNs and
// a `[1m]` suffix are read as Lookup reads them. Unknown IDs and application-inference-profile
// ARNs report false: their model cannot be told from the ID.
func PriceFor(id string) (Price, bool) {
	geo, base, ok := SplitID(id)
	if !ok {
		return Price{}, false
	}
	m, ok := Lookup(base)
	if !ok {
		return Price{}, false
	}
	return m.PriceForGeo(geo), true
}

// Cost estimates the USD cost of one response's usage on id. known is false when id's price
// is unknown (see PriceFor); the cost is then 0.
func Cost(id string, u Usage) (usd float64, known bool) {
	p, ok := PriceFor(id)
	if !ok {
		return 0, false
	}
	return p.Cost(u), true
}
