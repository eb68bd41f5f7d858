package settings

import (
	"slices"
	"strings"
)

// SetEnv changes the env block of the settings file at path (a user's ~/.claude/settings.json):
// the keys of set get their values, the keys of unset go, and everything else in the file
// stays as written, in its order and layout. A file that does not load is left untouched and
// the error names path:line:col. A missing file is created readable by its owner only; a
// symbolic link is followed, so a settings file kept in a dotfiles folder stays there.
func SetEnv(path string, set map[string]string, unset []string) error {
	done := false
	return editFile(path, ScopeUser, true, func(e *editor, root *node) ([]byte, error) {
		if done { // the block is written whole in one round
			return nil, nil
		}
		done = true
		switch env := root.member("env"); {
		case env == nil:
			return e.addMember(root, "env", func(ind string) string { return e.envObject(ind, nil, set, unset) }), nil
		case env.val.kind == kindNull:
			return e.replace(env.val, e.envObject(e.lineIndent(env.keyOff), nil, set, unset)), nil
		default:
			return e.replace(env.val, e.envObject(e.lineIndent(env.keyOff), env.val, set, unset)), nil
		}
	})
}

// envObject renders the new env object for a member indented by ind: old's entries in their
// order (values as written, changed ones replaced), then the new keys sorted.
func (e *editor) envObject(ind string, old *node, set map[string]string, unset []string) string {
	var items []string
	done := map[string]bool{}
	if old != nil {
		for _, m := range old.members {
			if slices.Contains(unset, m.key) || done[m.key] {
				continue
			}
			done[m.key] = true
			val := string(e.data[m.val.start:m.val.end])
			if v, ok := set[m.key]; ok {
				val = quote(v)
			}
			items = append(items, quote(m.key)+": "+val)
		}
	}
	var added []string
	for k := range set {
		if !done[k] && !slices.Contains(unset, k) {
			added = append(added, k)
		}
	}
	slices.Sort(added)
	for _, k := range added {
		items = append(items, quote(k)+": "+quote(set[k]))
	}
	if len(items) == 0 {
		return "{}"
	}
	if !e.multiline {
		return "{" + strings.Join(items, ", ") + "}"
	}
	inner := ind + e.unit
	return "{" + e.newline + inner + strings.Join(items, ","+e.newline+inner) + e.newline + ind + "}"
}
