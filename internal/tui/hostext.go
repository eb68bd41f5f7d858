package tui

// Optional host abilities: the commands that need more of the host than Host names ask for
// these with a type assertion, and say the command is not available when the host has none.
// internal/cli's host implements them all; fakes in tests implement what they test.

// sessionNamer names the running conversation (/rename).
type sessionNamer interface {
	// RenameSession records name as the conversation's title in its transcript.
	RenameSession(name string) error
}

// sessionForker continues the conversation under a new session ID (/fork).
type sessionForker interface {
	// ForkSession copies the conversation into a new transcript titled title ("" for one
	// made from the old title or first prompt), switches to it and returns it with its ID.
	ForkSession(title string) (Session, string, error)
}

// dirAdder adds working directories (/add-dir).
type dirAdder interface {
	// CheckDir resolves path (relative to the working directory, ~ for home) and says why it
	// cannot be added: missing, not a directory, already inside a working directory.
	CheckDir(path string) (abs string, err error)
	// AddDir makes abs a working directory for the rest of the session and, when remember is
	// set, saves it to permissions.additionalDirectories of the local settings; the text says
	// what was done.
	AddDir(abs string, remember bool) (string, error)
}

// ScopedRule is a permission rule with the scope it lives in.
type ScopedRule struct {
	List  string // allow, ask or deny
	Rule  string
	Scope string // user, project, local, session, cli, managed, …
	Path  string // the settings file, when it lives in one
	// Source is the rule's source as the permission checker knows it, so that removing it
	// takes this copy and not one from another scope.
	Source string
}

// Editable reports whether the rule lives in a file /permissions may edit.
func (r ScopedRule) Editable() bool {
	return r.Scope == "user" || r.Scope == "project" || r.Scope == "local" || r.Scope == "session"
}

// permissionEditor edits the rules (/permissions): each change takes effect at once and is
// written to the scope's settings file.
type permissionEditor interface {
	PermissionRules() []ScopedRule
	// AddPermissionRule checks rule and adds it to list (allow, ask, deny) in scope (user,
	// project, local, or session for this session only).
	AddPermissionRule(list, rule, scope string) error
	RemovePermissionRule(r ScopedRule) error
	// MovePermissionRule moves r to another editable scope's file.
	MovePermissionRule(r ScopedRule, scope string) error
	// WorkingDirs lists the working directories, the first the one strata started in.
	WorkingDirs() []string
}

// ContextUsage is what /context shows: where the context window goes.
type ContextUsage struct {
	Model  string
	Window int // the model's context window in tokens (1M where the 1M window is on)
	// CompactAt is the input size at which strata compacts; 0 when automatic compaction is
	// off or the model is unknown.
	CompactAt int
	// Parts are the fixed parts of every request, estimated: system prompt, tools, …
	Parts []ContextPart
	// Messages is the conversation's estimate; the UI replaces it with what the last
	// request measured, less the fixed parts, when there was one.
	Messages int
	// Details list what some parts are made of: "MCP tools", "Memory files", "Skills",
	// "Custom agents", each item's tokens estimated.
	Details []ContextDetail
}

// ContextPart is one part of the context window.
type ContextPart struct {
	Name   string
	Tokens int
}

// ContextDetail lists the items of one part.
type ContextDetail struct {
	Title string
	Items []ContextPart
}

// contextReporter measures the context window (/context).
type contextReporter interface {
	ContextUsage() ContextUsage
}

// ConfigItem is one setting /config shows.
type ConfigItem struct {
	Key     string   // the settings key, dotted: permissions.defaultMode
	Label   string   // what it is called
	Value   string   // its value now, as shown
	Choices []string // the values it may take; empty: shown only
	Note    string   // where the value comes from, or what it does
}

// configEditor reads and changes the user's settings (/config).
type configEditor interface {
	ConfigItems() []ConfigItem
	// SetConfig writes key=value to the user settings and applies it to the session where
	// that makes sense; the text says what happened.
	SetConfig(key, value string) (string, error)
}
