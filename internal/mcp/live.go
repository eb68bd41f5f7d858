package mcp

import "slices"

// Add takes more servers while the manager runs (a plugin turned on during a session): each
// of ld's servers whose name is not known yet is prepared as New does and starts connecting
// at once. It returns the names added; a name already known keeps its server.
func (m *Manager) Add(ld *Loaded) []string {
	if ld == nil {
		return nil
	}
	var added []string
	for _, s := range ld.Servers {
		m.mu.Lock()
		_, known := m.servers[s.Name]
		closed := m.closed
		m.mu.Unlock()
		if known || closed {
			continue
		}
		m.add(m.newServer(ld, s))
		added = append(added, s.Name)
	}
	m.Start()
	return added
}

// Remove disconnects the named servers of scope and forgets them (a plugin turned off):
// their tools leave the next request. A connection attempt under way is abandoned; a server
// of another scope with the same name stays.
func (m *Manager) Remove(scope Scope, names ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, name := range names {
		sv, ok := m.servers[name]
		if !ok || sv.scope != scope {
			continue
		}
		sv.gen++ // an attempt under way sees it is stale and closes what it opened
		m.disconnectLocked(sv)
		if log := sv.log; log != nil {
			go func() { _ = log.Close() }()
		}
		delete(m.servers, name)
		m.order = slices.DeleteFunc(m.order, func(n string) bool { return n == name })
	}
}
