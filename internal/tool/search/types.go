package search

import (
	"path"
	"regexp"
	"sort"
)

// fileTypes maps ripgrep's --type names to the file-name globs ripgrep 13 uses for them, so
// the Go back end understands the same `type` values. Only common languages are listed; rg
// itself knows more. A function rather than a variable keeps the table immutable.
func fileTypes() map[string][]string {
	return map[string][]string{
		"bazel":    {"*.BUILD", "*.bazel", "*.bazelrc", "*.bzl", "BUILD", "WORKSPACE"},
		"c":        {"*.[chH]", "*.[chH].in", "*.cats"},
		"clojure":  {"*.clj", "*.cljc", "*.cljs", "*.cljx"},
		"cmake":    {"*.cmake", "CMakeLists.txt"},
		"config":   {"*.cfg", "*.conf", "*.config", "*.ini"},
		"cpp":      {"*.[ChH]", "*.[ChH].in", "*.[ch]pp", "*.[ch]pp.in", "*.[ch]xx", "*.[ch]xx.in", "*.cc", "*.cc.in", "*.hh", "*.hh.in", "*.inl"},
		"cs":       {"*.cs"},
		"csharp":   {"*.cs"},
		"css":      {"*.css", "*.scss"},
		"csv":      {"*.csv"},
		"dart":     {"*.dart"},
		"docker":   {"*Dockerfile*"},
		"elixir":   {"*.eex", "*.ex", "*.exs"},
		"erlang":   {"*.erl", "*.hrl"},
		"go":       {"*.go"},
		"gradle":   {"*.gradle"},
		"groovy":   {"*.gradle", "*.groovy"},
		"h":        {"*.h", "*.hpp"},
		"haskell":  {"*.c2hs", "*.cpphs", "*.hs", "*.hsc", "*.lhs"},
		"html":     {"*.ejs", "*.htm", "*.html"},
		"java":     {"*.java", "*.jsp", "*.jspx", "*.properties"},
		"js":       {"*.js", "*.jsx", "*.vue"},
		"json":     {"*.json", "composer.lock"},
		"jsonl":    {"*.jsonl"},
		"julia":    {"*.jl"},
		"kotlin":   {"*.kt", "*.kts"},
		"less":     {"*.less"},
		"lua":      {"*.lua"},
		"make":     {"*.mak", "*.mk", "[Gg][Nn][Uu]makefile", "[Gg][Nn][Uu]makefile.am", "[Gg][Nn][Uu]makefile.in", "[Mm]akefile", "[Mm]akefile.am", "[Mm]akefile.in"},
		"markdown": {"*.markdown", "*.md", "*.mdown", "*.mkdn"},
		"md":       {"*.markdown", "*.md", "*.mdown", "*.mkdn"},
		"nix":      {"*.nix"},
		"objc":     {"*.h", "*.m"},
		"ocaml":    {"*.ml", "*.mli", "*.mll", "*.mly"},
		"perl":     {"*.PL", "*.perl", "*.pl", "*.plh", "*.plx", "*.pm", "*.t"},
		"php":      {"*.php", "*.php3", "*.php4", "*.php5", "*.phtml"},
		"protobuf": {"*.proto"},
		"py":       {"*.py"},
		"r":        {"*.R", "*.Rmd", "*.Rnw", "*.r"},
		"ruby":     {"*.gemspec", "*.rb", "*.rbw", ".irbrc", "Gemfile", "Rakefile", "config.ru"},
		"rust":     {"*.rs"},
		"sass":     {"*.sass", "*.scss"},
		"scala":    {"*.sbt", "*.scala"},
		"sh":       {"*.bash", "*.bashrc", "*.csh", "*.cshrc", "*.ksh", "*.kshrc", "*.sh", "*.tcsh", "*.zsh", ".bash_login", ".bash_logout", ".bash_profile", ".bashrc", ".cshrc", ".kshrc", ".login", ".logout", ".profile", ".tcshrc", ".zlogin", ".zlogout", ".zprofile", ".zshenv", ".zshrc", "bash_login", "bash_logout", "bash_profile", "bashrc", "profile", "zlogin", "zlogout", "zprofile", "zshenv", "zshrc"},
		"sql":      {"*.psql", "*.sql"},
		"swift":    {"*.swift"},
		"tf":       {"*.tf"},
		"toml":     {"*.toml", "Cargo.lock"},
		"ts":       {"*.ts", "*.tsx"},
		"txt":      {"*.txt"},
		"xml":      {"*.dtd", "*.rng", "*.sch", "*.xhtml", "*.xjb", "*.xml", "*.xml.dist", "*.xsd", "*.xsl", "*.xslt"},
		"yaml":     {"*.yaml", "*.yml"},
		"zig":      {"*.zig"},
	}
}

// TypeNames lists the file types the Go back end knows, sorted.
func TypeNames() []string {
	types := fileTypes()
	names := make([]string, 0, len(types))
	for n := range types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// typeMatcher selects files whose base name matches one of a type's globs.
type typeMatcher []*regexp.Regexp

func newTypeMatcher(name string) (typeMatcher, bool) {
	globs, ok := fileTypes()[name]
	if !ok {
		return nil, false
	}
	m := make(typeMatcher, 0, len(globs))
	for _, g := range globs {
		re, err := compileGlob(g)
		if err != nil {
			panic("search: built-in type glob does not compile: " + g) // a bug in the table
		}
		m = append(m, re)
	}
	return m, true
}

func (m typeMatcher) matches(p string) bool {
	base := path.Base(p)
	for _, re := range m {
		if re.MatchString(base) {
			return true
		}
	}
	return false
}
