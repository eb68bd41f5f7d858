package permission

import (
	"fmt"
	"path/filepath"
	"slices"
)

// Changes the user makes while strata runs (the UI's /permissions and /add-dir): rules added
// to a list or taken out of it, and working directories added. Each takes the checker's lock,
// so a call checked at the same moment sees the lists before or after, never half-changed.

// AddRule adds r to the allow, ask or deny list; a rule with the same text and source already
// there is not added twice. Unlike Grant, a rule naming a protected path is accepted: the
// user wrote it into a settings file.
func (c *Checker) AddRule(list Behavior, r Rule) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	dst, err := c.list(list)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(*dst, func(have Rule) bool { return have.Text == r.Text && have.Source == r.Source }) {
		*dst = append(*dst, r)
	}
	return nil
}

// RemoveRule takes the rules with text from list whose source is source ("" takes them
// whatever their source); it reports how many it took.
func (c *Checker) RemoveRule(list Behavior, text, source string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dst, err := c.list(list)
	if err != nil {
		return 0, err
	}
	before := len(*dst)
	*dst = slices.DeleteFunc(slices.Clone(*dst), func(r Rule) bool {
		return r.Text == text && (source == "" || r.Source == source)
	}) // a clone: copies made by WithMode may share the old backing array
	return before - len(*dst), nil
}

// RuleLists is a snapshot of the three lists.
func (c *Checker) RuleLists() (allow, ask, deny []Rule) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.AllowRules), slices.Clone(c.AskRules), slices.Clone(c.DenyRules)
}

func (c *Checker) list(b Behavior) (*[]Rule, error) {
	switch b {
	case Allow:
		return &c.AllowRules, nil
	case Ask:
		return &c.AskRules, nil
	case Deny:
		return &c.DenyRules, nil
	}
	return nil, fmt.Errorf("no rule list %q: allow, ask or deny", b)
}

// AddDir makes dir, absolute, a working directory for the rest of the session (/add-dir);
// adding one already there changes nothing.
func (c *Checker) AddDir(dir string) {
	dir = filepath.Clean(dir)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.Dirs, dir) {
		c.Dirs = append(slices.Clone(c.Dirs), dir)
	}
}

// WorkingDirs is a snapshot of the working directories, the first the one strata started in.
func (c *Checker) WorkingDirs() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.Dirs)
}
