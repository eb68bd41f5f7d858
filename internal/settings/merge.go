package settings

import "encoding/json"

// merger folds layers, lowest precedence first, into a Settings.
type merger struct {
	s       *Settings
	ruleIdx map[*[]Rule]map[string]int // position of each rule text in its list
	seen    map[*[]string]map[string]bool
}

func newMerger(s *Settings) *merger {
	return &merger{s: s, ruleIdx: map[*[]Rule]map[string]int{}, seen: map[*[]string]map[string]bool{}}
}

func (m *merger) add(l *layer) {
	s := m.s
	s.Files = append(s.Files, l.src)
	for _, e := range l.env {
		s.Env[e.key] = e.value
		s.EnvSource[e.key] = l.src
	}
	setString(&s.Model, &s.ModelSource, l.model, l.src)
	setString(&s.AWSAuthRefresh, &s.AWSAuthRefreshSource, l.awsAuthRefresh, l.src)
	setString(&s.AWSCredentialExport, &s.AWSCredentialExportSource, l.awsCredentialExport, l.src)
	m.addPermissions(l)
	for _, eh := range l.hooks {
		s.Hooks[eh.event] = append(s.Hooks[eh.event], eh.matchers...)
	}
	if l.cleanupPeriodDays != nil {
		s.CleanupPeriodDays = l.cleanupPeriodDays
	}
	if l.includeCoAuthoredBy != nil {
		s.IncludeCoAuthoredBy = l.includeCoAuthoredBy
	}
	if l.enableAllProject != nil {
		s.EnableAllProjectMcpServers = l.enableAllProject
	}
	if l.enableAllProject != nil || len(l.enabledMcpjson) > 0 || len(l.disabledMcpjson) > 0 {
		s.MCPApprovalFrom = append(s.MCPApprovalFrom, l.src)
	}
	m.addStrings(&s.EnabledMcpjsonServers, l.enabledMcpjson)
	m.addStrings(&s.DisabledMcpjsonServers, l.disabledMcpjson)
	if l.statusLine != nil {
		s.StatusLine, s.StatusLineSource = l.statusLine, l.src
	}
	if l.sandbox != nil {
		s.Sandbox = append(s.Sandbox, RawSetting{Raw: l.sandbox, Source: l.src})
	}
	for k, v := range l.extra {
		if k == "enabledPlugins" {
			v = mergeObjects(s.Extra[k], v)
		}
		s.Extra[k] = v
		s.ExtraSource[k] = l.src
	}
}

func (m *merger) addPermissions(l *layer) {
	p := &m.s.Permissions
	m.addRules(&p.Allow, l.allow, l.src)
	m.addRules(&p.Ask, l.ask, l.src)
	m.addRules(&p.Deny, l.deny, l.src)
	m.addStrings(&p.AdditionalDirectories, l.additionalDirs)
	if l.defaultMode != nil {
		p.DefaultMode = *l.defaultMode
	}
	if l.disableBypass != nil {
		p.DisableBypassPermissionsMode = *l.disableBypass
	}
}

func setString(dst *string, dstSrc *Source, v *string, src Source) {
	if v != nil {
		*dst, *dstSrc = *v, src
	}
}

// addRules appends rules not already in *list. A rule listed by several files keeps its first
// position and takes the Source of the highest file that lists it: that is the file a user
// would have to edit for the rule to go away, and managed rules show as managed.
func (m *merger) addRules(list *[]Rule, texts []string, src Source) {
	idx := m.ruleIdx[list]
	if idx == nil {
		idx = map[string]int{}
		m.ruleIdx[list] = idx
	}
	for _, t := range texts {
		if i, dup := idx[t]; dup {
			(*list)[i].Source = src
			continue
		}
		idx[t] = len(*list)
		*list = append(*list, Rule{Text: t, Source: src})
	}
}

// addStrings appends the values not already in *list.
func (m *merger) addStrings(list *[]string, values []string) {
	seen := m.seen[list]
	if seen == nil {
		seen = map[string]bool{}
		m.seen[list] = seen
	}
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
}

// mergeObjects is the JSON object over laid on base key by key (enabledPlugins: each
// layer turns plugins on or off without forgetting the others'); over as it is when either
// is not an object.
func mergeObjects(base, over json.RawMessage) json.RawMessage {
	var b, o map[string]json.RawMessage
	if len(base) == 0 || json.Unmarshal(base, &b) != nil || b == nil || json.Unmarshal(over, &o) != nil || o == nil {
		return over
	}
	for k, v := range o {
		b[k] = v
	}
	out, err := json.Marshal(b)
	if err != nil {
		return over
	}
	return out
}
