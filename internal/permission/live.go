package permission

// Settings files may change while a session runs (ConfigChange). What such a change may do
// to the running checker is only ever to restrict: new deny and ask rules join at once,
// allow rules the file no longer has leave at once, and nothing the change would allow
// takes effect before the next session.

// AddRestriction adds a parsed deny (deny true) or ask rule for the rest of the session; a
// rule with the same text already in that list is not added twice. It reports whether the
// rule was new.
func (c *Checker) AddRestriction(r Rule, deny bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	list := &c.AskRules
	if deny {
		list = &c.DenyRules
	}
	for _, have := range *list {
		if have.Text == r.Text {
			return false
		}
	}
	*list = append(*list, r)
	return true
}

// Revoke removes the allow rules that came from source and whose text keep does not list,
// and returns their texts.
func (c *Checker) Revoke(source string, keep []string) []string {
	kept := map[string]bool{}
	for _, t := range keep {
		kept[t] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var removed []string
	out := c.AllowRules[:0:0]
	for _, r := range c.AllowRules {
		if r.Source == source && !kept[r.Text] {
			removed = append(removed, r.Text)
			continue
		}
		out = append(out, r)
	}
	c.AllowRules = out
	return removed
}

// AddAllow adds a parsed allow rule (a skill folder's Read rule) unless one with the same
// text and source is there.
func (c *Checker) AddAllow(r Rule) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, have := range c.AllowRules {
		if have.Text == r.Text && have.Source == r.Source {
			return
		}
	}
	c.AllowRules = append(c.AllowRules, r)
}

// HasAllow reports whether an allow rule with this text is in effect, whatever its source.
func (c *Checker) HasAllow(text string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, r := range c.AllowRules {
		if r.Text == text {
			return true
		}
	}
	return false
}
